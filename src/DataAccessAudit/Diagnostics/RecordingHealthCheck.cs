using System.Globalization;
using DataAccessAudit.Recording;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NodaTime.Text;

namespace DataAccessAudit.Diagnostics;

// The recording pipeline's state for a health endpoint: whether accesses are being written, how full the queue is, and
// whether evidence was lost. Unhealthy while writing fails (a full disk, an unwritable directory: the app's accesses
// wait in the queue or are refused), degraded once accesses were dropped, whatever dropped them (a full queue in drop
// mode, an access too large for a record), or when the queue is nearly full.
internal sealed class RecordingHealthCheck(RecordingQueue queue) : IHealthCheck
{
    // A queue this full means the writer is not keeping up; the next burst will block or drop accesses.
    private const double NearlyFull = 0.9;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var depth = queue.QueueDepth;
        var queueFull = queue.DroppedCount;
        var tooLarge = queue.TooLargeCount;
        var dropped = queueFull + tooLarge;
        var lastError = queue.LastWriteError;
        var data = new Dictionary<string, object>
        {
            ["queueDepth"] = depth,
            ["queueCapacity"] = queue.Capacity,
            ["droppedCount"] = dropped,
            ["droppedQueueFull"] = queueFull,
            ["droppedTooLarge"] = tooLarge,
            ["writtenCount"] = queue.WrittenCount,
            ["durableCount"] = queue.DurableCount,
        };
        if (lastError is { } error)
        {
            data["lastWriteError"] = error.Error.Message;
            data["lastWriteErrorAt"] = InstantPattern.ExtendedIso.Format(error.At);
        }

        HealthCheckResult result;
        if (queue.IsFailing && lastError is { } failure)
        {
            result = new HealthCheckResult(
                context.Registration.FailureStatus,
                string.Create(CultureInfo.InvariantCulture, $"The audit log cannot be written: {failure.Error.Message.TrimEnd('.')}. Accesses waiting in the queue: {depth}."),
                failure.Error,
                data);
        }
        else if (dropped > 0)
        {
            result = HealthCheckResult.Degraded(
                string.Create(CultureInfo.InvariantCulture, $"Accesses dropped: {dropped} ({queueFull} because the recording queue was full, {tooLarge} too large to record); the log records each gap."),
                data: data);
        }
        else if (depth >= NearlyFull * queue.Capacity)
        {
            result = HealthCheckResult.Degraded(
                string.Create(CultureInfo.InvariantCulture, $"The recording queue is nearly full ({depth} of {queue.Capacity})."),
                data: data);
        }
        else
        {
            result = HealthCheckResult.Healthy(
                string.Create(CultureInfo.InvariantCulture, $"Recording: accesses queued: {depth}, none dropped."),
                data);
        }

        return Task.FromResult(result);
    }
}
