using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using DataAccessAudit.Tests.Log;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Recording;

public sealed class AccessAuditorAllocationTests
{
    [Fact]
    public async Task Record_PrebuiltEventInBufferedMode_AllocatesNothingOnTheCallersThread()
    {
        var clock = new FakeClock(LogFixture.Start);
        await using var queue = new RecordingQueue([new InMemoryAccessEventSink()], new RecordingOptions { Capacity = 64 * 1024 }, clock);
        var auditor = new AccessAuditor(AccessPolicy.ProjectTexas, clock, queue);
        var accessEvent = LogFixture.Event(1);
        for (var i = 0; i < 100; i++)
        {
            auditor.Record(accessEvent);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            auditor.Record(accessEvent);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }
}
