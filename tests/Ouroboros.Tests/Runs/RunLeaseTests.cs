using System.Diagnostics;
using System.Text.Json.Nodes;
using Ouroboros.Runs;
using Ouroboros.Store;

namespace Ouroboros.Tests.Runs;

/// <summary><see cref="RunLease"/>: held while the run runs (heartbeat), refused to others, given up on dispose, lost when taken over; and how a reader sees a run.</summary>
public sealed class RunLeaseTests : IDisposable
{
    private static readonly LeaseTiming Short = new(TimeSpan.FromMilliseconds(600), TimeSpan.FromMilliseconds(100));
    private readonly RunStore _store = RunStore.InMemory();

    public RunLeaseTests() => _store.Journal.CreateRun("r", "stop", new JsonObject());

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_held_lease_is_renewed_past_its_expiry_and_refused_to_a_second_taker_then_released()
    {
        using (var lease = RunLease.Take(_store, "r", Short))
        {
            await Task.Delay(1500); // well past one expiry: only the heartbeat keeps it
            var e = Assert.Throws<RunLeaseHeldException>(() => RunLease.Take(_store, "r", Short));
            Assert.Contains($"is in use by {Environment.MachineName} pid {Environment.ProcessId}", e.Message);
            Assert.Single(e.Message.Split('\n'));
            Assert.False(lease.Lost.IsCancellationRequested);
        }
        Assert.Null(_store.Leases.Get("r"));
        using var again = RunLease.Take(_store, "r", Short);
    }

    [Fact]
    public async Task A_lease_another_process_took_over_is_lost()
    {
        using var lease = RunLease.Take(_store, "r", Short);
        _store.Execute("UPDATE runs SET lease_token = 'someone-else';");
        await Task.Delay(1000);
        Assert.True(lease.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task A_holder_on_this_host_that_has_exited_is_replaced_at_once_and_its_run_reads_as_stale()
    {
        using var exited = Process.Start("true")!;
        await exited.WaitForExitAsync();
        var gone = new LeaseHolder(Environment.MachineName, exited.Id, "old");
        Assert.True(RunLease.IsGone(gone));
        Assert.False(RunLease.IsGone(gone with { Pid = Environment.ProcessId }));
        Assert.False(RunLease.IsGone(gone with { Host = "another-host" })); // judged by expiry alone
        Assert.True(_store.Leases.TryTake("r", gone, TimeSpan.FromHours(1), null, out _));

        var state = RunLease.StateOf(_store.Journal.GetRun("r")!, _store.Leases.Get("r"), DateTimeOffset.UtcNow);
        Assert.Equal(RunStates.Stale, state.Status);
        Assert.StartsWith("running (stale: no heartbeat since ", state.Text);

        using var lease = RunLease.Take(_store, "r", Short);
        Assert.Equal(RunStates.Running, RunLease.StateOf(_store.Journal.GetRun("r")!, _store.Leases.Get("r"), DateTimeOffset.UtcNow).Status);
    }

    [Fact]
    public void A_run_s_state_is_its_stored_status_unless_it_is_running_without_a_live_holder()
    {
        var row = _store.Journal.GetRun("r")!;
        var now = DateTimeOffset.UtcNow;
        var elsewhere = new RunLeaseRow("r", new LeaseHolder("another-host", 1, "t"), now.AddSeconds(30), now.AddSeconds(-30));
        Assert.Equal(RunStates.Running, RunLease.StateOf(row, elsewhere, now).Status);
        Assert.Equal(RunStates.Stale, RunLease.StateOf(row, elsewhere, now.AddSeconds(31)).Status);
        Assert.Equal(RunStates.Stale, RunLease.StateOf(row, null, now).Status); // never leased: an older ouro's run, or killed before
        Assert.Equal(RunStates.Interrupted, RunLease.StateOf(row with { Status = RunStates.Interrupted }, null, now).Status);
    }

    [Theory]
    [InlineData(null, 60, 10)]
    [InlineData("6", 6, 1)]
    public void Lease_timing_defaults_to_60_s_renewed_every_10_s_and_is_set_by_the_environment(string? variable, double expiry, double renewal)
    {
        var timing = LeaseTiming.FromEnvironment(variable);
        Assert.Equal(TimeSpan.FromSeconds(expiry), timing.Expiry);
        Assert.Equal(TimeSpan.FromSeconds(renewal), timing.Renewal);
    }

    [Fact]
    public void A_bad_lease_timing_is_refused_naming_the_variable() =>
        Assert.Contains(LeaseTiming.Variable, Assert.Throws<ArgumentException>(() => LeaseTiming.FromEnvironment("0.5")).Message);
}
