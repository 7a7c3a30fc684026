using System.Globalization;
using System.Runtime.CompilerServices;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Log;

/// <summary>
/// Reads the access events of a file log, in order, verifying the chain as it goes: the input of a report over
/// the log. Lines that are not events are reported as they are met; what the log says about its own integrity
/// (the first break, gap, recovery and removal records) is collected in <see cref="IntegrityProblems"/>, and
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
    private readonly List<InputProblem> _integrityProblems = [];

    /// <summary>Creates a reader of a log directory.</summary>
    /// <param name="directory">The log directory.</param>
    /// <param name="keys">The chain keys by id, for a log written with a key; null for an unkeyed log.</param>
    public FileLogReader(string directory, IReadOnlyDictionary<string, byte[]>? keys = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = directory;
        _keys = keys;
    }

    private LogVerificationResult? _verification;

    /// <summary>Gets the outcome of verification of the last read that ran to the end.</summary>
    /// <exception cref="InvalidOperationException">No read has run to the end yet: enumerate <see cref="Read"/> first.</exception>
    public LogVerificationResult Verification =>
        _verification ?? throw new InvalidOperationException($"The log '{_directory}' has not been read to the end yet: enumerate Read or ReadAsync first; the verification is known only once every line has been checked.");

    /// <summary>
    /// Gets what the last read found about the log's integrity, in log order: the first break (or the key it lacked),
    /// each gap record (accesses the recorder dropped), each recovery record (a crash while writing), and the removal
    /// of the oldest segments by retention. Complete once a read has run to the end; a log that verifies can still
    /// have gap, recovery and removal problems, and a report must show them.
    /// </summary>
    public IReadOnlyList<InputProblem> IntegrityProblems => _integrityProblems;

    /// <summary>Reads the events.</summary>
    /// <param name="onProblem">Called for each line that is not a valid event.</param>
    /// <returns>The events with their recorded decisions, in log order.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="IOException">
    /// A segment cannot be read, or an entry named as a segment is not a regular file (a FIFO, a device or a directory);
    /// the message names it. Thrown as the enumeration meets it.
    /// </exception>
    /// <exception cref="UnauthorizedAccessException">The directory cannot be listed, or a segment read; the message names it.</exception>
    public IEnumerable<AccessRecord> Read(Action<InputProblem> onProblem)
    {
        ArgumentNullException.ThrowIfNull(onProblem);
        return ReadCore(onProblem, CancellationToken.None);
    }

    /// <summary>Reads the events asynchronously.</summary>
    /// <param name="onProblem">Called for each line that is not a valid event.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>The events with their recorded decisions, in log order.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="IOException">A segment cannot be read, or is not a regular file, as for <see cref="Read"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory cannot be listed, or a segment read.</exception>
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

    /// <summary>
    /// Reads the raw lines of the events, verifying the chain exactly as <see cref="Read"/> does, and hands each to
    /// <paramref name="onEventLine"/> without parsing it: for a caller that parses the lines itself, such as a report
    /// that counts them on several threads.
    /// </summary>
    /// <param name="onEventLine">
    /// Called, in log order and on the calling thread, for each line that <see cref="Read"/> would parse as an event;
    /// the bytes are valid only during the call (copy them to keep them). Parse them with
    /// <see cref="AccessEventReader.TryParseLine"/> to get the events and problems <see cref="Read"/> gives.
    /// </param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>The verification, as <see cref="Verification"/> then gives it.</returns>
    /// <remarks>
    /// The links are checked on every core and accepted in log order; the caller's parsing runs beside them. <see cref="IntegrityProblems"/> is set as by <see cref="Read"/>.
    /// </remarks>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    internal LogVerificationResult ReadEventLines(LogEventLineAction onEventLine, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onEventLine);
        foreach (var line in ScanEvents(cancellationToken))
        {
            onEventLine(line.Span, line.Path, line.Line, line.Kind == LineKind.Event);
        }

        return Verification;
    }

    private IEnumerable<AccessRecord> ReadCore(Action<InputProblem> onProblem, CancellationToken cancellationToken)
    {
        foreach (var line in ScanEvents(cancellationToken))
        {
            if (AccessEventReader.TryParseLine(line.Span, line.Path, line.Line, onProblem, out var record))
            {
                yield return record;
            }
        }
    }

    // Yields the event lines, collecting the integrity problems on the way and the verification at the end.
    private IEnumerable<ScannedLine> ScanEvents(CancellationToken cancellationToken)
    {
        _verification = null;
        _integrityProblems.Clear();
        using var scanner = new LogScanner(_directory, _keys);
        var reported = false;
        foreach (var line in scanner.Scan(stopAtBreak: false, cancellationToken))
        {
            if (!reported && scanner.Break is { } found)
            {
                reported = true;
                _integrityProblems.Add(found.ToInputProblem());
            }

            if (line.Kind == LineKind.Gap)
            {
                _integrityProblems.Add(GapProblem(line));
            }
            else if (line.Kind == LineKind.Recovery)
            {
                _integrityProblems.Add(new InputProblem(line.Path, line.Line, "recovery: the recorder crashed while writing; the torn last line was moved aside when the log was reopened (accesses not yet durable at the crash may be missing)"));
            }
            else
            {
                yield return line;
            }
        }

        var result = scanner.Result();
        if (!reported && result.Break is { } late)
        {
            _integrityProblems.Add(late.ToInputProblem());
        }

        if (result.RemovedUpToSequence > 0)
        {
            _integrityProblems.Add(new InputProblem(
                _directory,
                0,
                string.Create(CultureInfo.InvariantCulture, $"removal: retention removed records 1 to {result.RemovedUpToSequence} (the oldest segments), as a removal record in the log states")));
        }

        _verification = result;
    }

    private static InputProblem GapProblem(ScannedLine line)
    {
        LogFormat.TryReadFields(line.Span, out var fields);
        return new InputProblem(line.Path, line.Line, GapRecord.Describe(fields));
    }
}
