using System.Text.Json.Nodes;
using Ouroboros.Store;

namespace Ouroboros.Tests.Store;

/// <summary>
/// <see cref="IRunLeases"/> on the SQLite store, through two connections to one file as two processes
/// would have: take, refuse, expire, renew, release, and replacing a holder known to be gone.
/// </summary>
public sealed class RunLeaseStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-lease-").FullName;
    private readonly RunStore _one, _two;
    private static readonly LeaseHolder A = new("host-a", 101, "token-a"), B = new("host-b", 202, "token-b");
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public RunLeaseStoreTests()
    {
        var path = Path.Combine(_dir, "runs.db");
        _one = RunStore.Open(path);
        _two = RunStore.Open(path);
        _one.Journal.CreateRun("r", "stop", new JsonObject());
    }

    public void Dispose()
    {
        _one.Dispose();
        _two.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_free_run_is_taken_and_the_lease_reads_back()
    {
        Assert.Null(_two.Leases.Get("r"));
        Assert.True(_one.Leases.TryTake("r", A, Minute, null, out var standing));
        Assert.Null(standing);
        var lease = _two.Leases.Get("r")!;
        Assert.Equal(A, lease.Holder);
        Assert.InRange(lease.Until - lease.RenewedAt, Minute - TimeSpan.FromMilliseconds(1), Minute + TimeSpan.FromMilliseconds(1));
        Assert.Equal(["r"], _two.Leases.All().Select(l => l.RunId));
    }

    [Fact]
    public void A_held_lease_is_refused_to_another_holder_who_is_told_who_holds_it()
    {
        Assert.True(_one.Leases.TryTake("r", A, Minute, null, out _));
        Assert.False(_two.Leases.TryTake("r", B, Minute, null, out var standing));
        Assert.Equal(A, standing!.Holder);
        Assert.True(_one.Leases.TryTake("r", A, Minute, null, out _)); // its holder may take it again
    }

    [Fact]
    public void Of_many_takers_at_once_exactly_one_wins()
    {
        var won = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(8)
            .Count(i => (i % 2 == 0 ? _one : _two).Leases.TryTake("r", new LeaseHolder("h", i, $"t{i}"), Minute, null, out _));
        Assert.Equal(1, won);
    }

    [Fact]
    public async Task An_expired_lease_is_taken_and_its_old_holder_can_no_longer_renew_it()
    {
        Assert.True(_one.Leases.TryTake("r", A, TimeSpan.FromMilliseconds(50), null, out _));
        await Task.Delay(120);
        Assert.True(_two.Leases.TryTake("r", B, Minute, null, out _));
        Assert.False(_one.Leases.Renew("r", A, Minute));
        _one.Leases.Release("r", A); // a release by a former holder does nothing
        Assert.Equal(B, _one.Leases.Get("r")!.Holder);
    }

    [Fact]
    public async Task A_renewed_lease_does_not_expire()
    {
        Assert.True(_one.Leases.TryTake("r", A, TimeSpan.FromMilliseconds(300), null, out _));
        var first = _one.Leases.Get("r")!;
        for (int i = 0; i < 4; i++)
        {
            await Task.Delay(100);
            Assert.True(_one.Leases.Renew("r", A, TimeSpan.FromMilliseconds(300)));
        }
        Assert.False(_two.Leases.TryTake("r", B, Minute, null, out _));
        var renewed = _two.Leases.Get("r")!;
        Assert.True(renewed.RenewedAt > first.RenewedAt && renewed.Until > first.Until);
    }

    [Fact]
    public void A_released_lease_is_free()
    {
        Assert.True(_one.Leases.TryTake("r", A, Minute, null, out _));
        _one.Leases.Release("r", A);
        Assert.Null(_two.Leases.Get("r"));
        Assert.Empty(_two.Leases.All());
        Assert.True(_two.Leases.TryTake("r", B, Minute, null, out _));
    }

    [Fact]
    public void A_holder_known_to_be_gone_is_replaced_only_by_name()
    {
        Assert.True(_one.Leases.TryTake("r", A, Minute, null, out _));
        var c = new LeaseHolder("host-c", 303, "token-c");
        Assert.False(_two.Leases.TryTake("r", c, Minute, replacing: B, out _)); // not the holder: refused
        Assert.True(_two.Leases.TryTake("r", B, Minute, replacing: A, out _));
        Assert.False(_one.Leases.TryTake("r", c, Minute, replacing: A, out _)); // a second taker who saw A gone loses
        Assert.Equal(B, _one.Leases.Get("r")!.Holder);
    }

    [Fact]
    public void There_is_no_lease_on_a_run_that_does_not_exist()
    {
        Assert.False(_one.Leases.TryTake("no-such-run", A, Minute, null, out var standing));
        Assert.Null(standing);
    }
}
