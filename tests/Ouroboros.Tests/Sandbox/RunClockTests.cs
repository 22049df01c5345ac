using System.Diagnostics;
using Ouroboros.Sandbox;

namespace Ouroboros.Tests.Sandbox;

public sealed class RunClockTests
{
    private static readonly long Second = Stopwatch.Frequency;

    [Fact]
    public void Time_spent_in_capability_calls_is_not_the_invocations_and_overlapping_calls_count_once()
    {
        var clock = new RunClock();
        long t0 = 1000 * Second;
        clock.Restart(t0);
        Assert.Equal(TimeSpan.FromSeconds(1), clock.ElapsedAt(t0 + Second));
        clock.Pause(t0 + Second);          // a call from 1 s to 3 s
        Assert.Equal(TimeSpan.FromSeconds(1), clock.ElapsedAt(t0 + 2 * Second));
        clock.Resume(t0 + 3 * Second);
        Assert.Equal(TimeSpan.FromSeconds(2), clock.ElapsedAt(t0 + 4 * Second));
        clock.Pause(t0 + 5 * Second);      // two calls overlapping from 6 s to 7 s, the first from 5 s to 8 s
        clock.Pause(t0 + 6 * Second);
        clock.Resume(t0 + 7 * Second);
        Assert.Equal(TimeSpan.FromSeconds(3), clock.ElapsedAt(t0 + 7 * Second));
        clock.Resume(t0 + 8 * Second);
        Assert.Equal(TimeSpan.FromSeconds(4), clock.ElapsedAt(t0 + 9 * Second));
    }

    [Fact]
    public void A_restart_at_a_frames_arrival_counts_from_that_arrival_and_forgets_earlier_pauses()
    {
        var clock = new RunClock();
        long t0 = 1000 * Second;
        clock.Restart(t0);
        clock.Pause(t0 + Second);
        clock.Restart(t0 + 2 * Second);    // the next invocation began when the previous result arrived
        Assert.Equal(TimeSpan.FromSeconds(3), clock.ElapsedAt(t0 + 5 * Second));
    }

    [Fact]
    public void The_hosts_own_collection_pauses_are_not_charged_but_those_during_a_call_are_not_taken_twice()
    {
        var collecting = TimeSpan.Zero;
        var clock = new RunClock(() => collecting);
        long t0 = 1000 * Second;
        clock.Restart(t0);
        collecting += TimeSpan.FromMilliseconds(300);      // the host stood still 0.3 s while the program ran
        Assert.Equal(TimeSpan.FromMilliseconds(700), clock.ElapsedAt(t0 + Second));
        clock.Pause(t0 + Second);                          // a call from 1 s to 3 s, with 0.5 s of collection in it
        collecting += TimeSpan.FromMilliseconds(500);
        clock.Resume(t0 + 3 * Second);
        Assert.Equal(TimeSpan.FromMilliseconds(1700), clock.ElapsedAt(t0 + 4 * Second));
    }
}
