using System.Globalization;
using DataAccessAudit.Interchange;
using DataAccessAudit.Log;

namespace DataAccessAudit.Reporting.Sources;

/// <summary>
/// Reads the library's durable file log into an <see cref="AccessReportBuilder"/>, verifying its chain in the same
/// pass, and says what the report may claim about the log's integrity.
/// </summary>
/// <remarks>
/// The integrity is the log's <see cref="LogVerdict"/>: <see cref="IntegrityStatus.Verified"/> when the keyed chain was
/// checked with its key, <see cref="IntegrityStatus.VerifiedUnkeyed"/> when an unkeyed chain is intact (it detects
/// accidents, not an editor), <see cref="IntegrityStatus.Broken"/> with the first break, and
/// <see cref="IntegrityStatus.Unverified"/> when a key was not given (nothing found wrong without it; the chain was not checked). Gap, recovery and removal records are
/// integrity problems even of a log that verifies, so every report shows what the log itself says it lost. Lines that
/// are not events are the builder's input problems. One pass: each segment is read once, its links are checked on
/// every core (each depends only on the line before it, already in the file) and accepted in file order on the calling
/// thread, which copies the verified event lines into blocks; workers parse and count the blocks exactly as
/// <see cref="JsonLinesReportReader"/> does (a fast scanner, the full parser for every line it declines, partial
/// builders merged at the end), so the report counts exactly the bytes that were checked, with the same results as a
/// sequential read.
/// </remarks>
public static class FileLogReportReader
{
    /// <summary>Reads a log directory into <paramref name="builder"/>.</summary>
    /// <param name="directory">The log directory.</param>
    /// <param name="keys">The chain keys by id, for a keyed log; null for none.</param>
    /// <param name="builder">Where the events and input problems are counted.</param>
    /// <param name="progress">Told the number of events read so far, every 65,536 events; null for none.</param>
    /// <param name="maxDegreeOfParallelism">How many workers parse and count; default (0) is one per processor.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>The integrity the report states.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="IOException">A segment cannot be read.</exception>
    public static ReportIntegrity Read(
        string directory,
        IReadOnlyDictionary<string, byte[]>? keys,
        AccessReportBuilder builder,
        IProgress<long>? progress = null,
        int maxDegreeOfParallelism = 0,
        CancellationToken cancellationToken = default)
    {
        // The checkpoint is read before the records: one signed while they are read may cover records written after
        // them, which would read as records cut from the end.
        var cited = ReadCheckpoint(directory);
        var reader = new FileLogReader(directory, keys);
        LineBlockWorkers.Count(builder, maxDegreeOfParallelism, add =>
        {
            var blocks = new EventLineBlocks(add, progress);
            try
            {
                reader.ReadEventLines(blocks.Append, cancellationToken);
                blocks.Flush();
            }
            finally
            {
                blocks.Dispose();
            }
        }, cancellationToken);

        var verification = reader.Verification!;
        return WithCheckpoint(directory, cited, verification.LastSequence, IntegrityOf(directory, verification, keys is { Count: > 0 }, reader.IntegrityProblems)
            .WithLog(new ReportLogState(directory, verification.LastSequence, verification.LastChain)));
    }

    // The log's last signed checkpoint, its signers' names and, when the file is malformed, why; none when it has none.
    private static CitedCheckpoint ReadCheckpoint(string directory)
    {
        try
        {
            return Transparency.FileLogTree.ReadCheckpoint(directory) is { } note
                ? new(Transparency.Checkpoint.Parse(note.Text), note.SignerNames, null)
                : new(null, [], null);
        }
        catch (FormatException exception)
        {
            return new(null, [], exception.Message);
        }
    }

    // Cites the log's last signed checkpoint, when it has one, so that the report names the log state it covers. A
    // log holding fewer records than its checkpoint covers lost its newest records (segments deleted or cut from the
    // end), which the chain alone cannot see: the report is then broken, whatever the chain says.
    private static ReportIntegrity WithCheckpoint(string directory, CitedCheckpoint cited, long lastSequence, ReportIntegrity integrity)
    {
        var path = Path.Combine(directory, "tree", "checkpoint");
        if (cited.Malformed is { } malformed)
        {
            return integrity.WithProblems([new InputProblem(path, 0, $"the log's checkpoint is malformed: {malformed}")]);
        }

        if (cited.Checkpoint is not { } checkpoint)
        {
            return integrity;
        }

        if (checkpoint.TreeSize > lastSequence)
        {
            var cut = new InputProblem(
                path,
                0,
                string.Create(CultureInfo.InvariantCulture, $"cut: the log holds {lastSequence} records but its checkpoint covers {checkpoint.TreeSize}: records were cut from its end"));
            integrity = ReportIntegrity.Broken([cut, .. integrity.Problems]).WithLog(integrity.Log!);
        }

        return integrity.WithCheckpoint(checkpoint, cited.Signers);
    }

    private static ReportIntegrity IntegrityOf(string directory, LogVerificationResult verification, bool keysGiven, IReadOnlyList<InputProblem> problems) => verification.Verdict switch
    {
        LogVerdict.Verified => ReportIntegrity.Verified.WithProblems(problems),
        LogVerdict.VerifiedUnkeyed => ReportIntegrity.VerifiedUnkeyed.WithProblems(
            [new InputProblem(directory, 0, $"verified-unkeyed: {LogVerificationResult.UnkeyedCaveat}; write the log with a key (FileLogOptions.KeyId and Key) so that editing it cannot go unnoticed"), .. problems]),
        LogVerdict.Unverified => ReportIntegrity.Unverified.WithProblems(
        [
            new InputProblem(directory, 0, ReportIntegrity.UncheckedChain(verification.UncheckedKeyIds, keysGiven, "sequence numbers, segment order and headers", "a segment header was edited to name it")),
            .. problems,
        ]),
        _ => ReportIntegrity.Broken(problems),
    };

    private readonly record struct CitedCheckpoint(Transparency.Checkpoint? Checkpoint, IReadOnlyList<string> Signers, string? Malformed);
}
