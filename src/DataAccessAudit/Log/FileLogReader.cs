using System.Globalization;
using System.Runtime.CompilerServices;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Log;

/// <summary>
/// Reads the access events of a file log, in order, verifying the chain as it goes: the input of a report over
/// the log. Integrity problems, gap records and bad lines are reported as <see cref="InputProblem"/>s;
/// <see cref="Verification"/> then says whether the log verified.
/// </summary>
/// <remarks>
/// Reading does not stop at a break: the events after it are still yielded (a report should show them), but
/// they are no longer verified. Memory stays proportional to the longest line.
/// </remarks>
public sealed class FileLogReader
{
    private readonly string _directory;
    private readonly IReadOnlyDictionary<string, byte[]>? _keys;

    /// <summary>Creates a reader of a log directory.</summary>
    /// <param name="directory">The log directory.</param>
    /// <param name="keys">The chain keys by id, for a log written with a key; null for an unkeyed log.</param>
    public FileLogReader(string directory, IReadOnlyDictionary<string, byte[]>? keys = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = directory;
        _keys = keys;
    }

    /// <summary>Gets the outcome of verification, once a read has run to the end; null before.</summary>
    public LogVerificationResult? Verification { get; private set; }

    /// <summary>Reads the events.</summary>
    /// <param name="onProblem">Called for the first integrity break, each gap record (accesses the recorder
    /// dropped), each recovery record (a crash while writing) and each line that is not a valid event.</param>
    /// <returns>The events with their recorded decisions, in log order.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public IEnumerable<AccessRecord> Read(Action<InputProblem> onProblem)
    {
        ArgumentNullException.ThrowIfNull(onProblem);
        return ReadCore(onProblem, CancellationToken.None);
    }

    /// <summary>Reads the events asynchronously.</summary>
    /// <param name="onProblem">Called for the first integrity break, each gap record (accesses the recorder
    /// dropped), each recovery record (a crash while writing) and each line that is not a valid event.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>The events with their recorded decisions, in log order.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public IAsyncEnumerable<AccessRecord> ReadAsync(Action<InputProblem> onProblem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onProblem);
        return ReadCoreAsync(onProblem, cancellationToken);
    }

    private async IAsyncEnumerable<AccessRecord> ReadCoreAsync(Action<InputProblem> onProblem, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var record in ReadCore(onProblem, cancellationToken))
        {
            yield return record;
        }
    }

    private IEnumerable<AccessRecord> ReadCore(Action<InputProblem> onProblem, CancellationToken cancellationToken)
    {
        Verification = null;
        using var scanner = new LogScanner(_directory, _keys);
        var reported = false;
        foreach (var line in scanner.Scan(stopAtBreak: false, cancellationToken))
        {
            if (!reported && scanner.Break is { } found)
            {
                reported = true;
                onProblem(found.ToInputProblem());
            }

            if (line.Kind == LineKind.Gap)
            {
                ReportGap(line, onProblem);
            }
            else if (line.Kind == LineKind.Recovery)
            {
                onProblem(new InputProblem(line.Path, line.Line, "recovery: the recorder crashed while writing; the torn last line was moved aside when the log was reopened (accesses not yet durable at the crash may be missing)"));
            }
            else if (AccessEventReader.TryParseLine(line.Span, line.Path, line.Line, onProblem, out var record))
            {
                yield return record;
            }
        }

        var result = scanner.Result();
        if (!reported && result.Break is { } late)
        {
            onProblem(late.ToInputProblem());
        }

        Verification = result;
    }

    private static void ReportGap(ScannedLine line, Action<InputProblem> onProblem)
    {
        LogFormat.TryReadFields(line.Span, out var fields);
        onProblem(new InputProblem(
            line.Path,
            line.Line,
            string.Create(CultureInfo.InvariantCulture, $"gap: the recorder dropped {fields.Dropped} accesses (its queue was full), noted at {fields.Time}")));
    }
}
