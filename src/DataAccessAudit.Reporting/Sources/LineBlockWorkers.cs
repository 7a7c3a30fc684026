using System.Buffers;
using System.Collections.Concurrent;
using DataAccessAudit.Interchange;

namespace DataAccessAudit.Reporting.Sources;

// Counts blocks of access-event/1 lines into a builder on several threads: the one reader that every source has
// hands blocks over, each worker counts them into its own partial builder (the fast EventLineCounter first, the
// full AccessEventReader.TryParseLine for every line it declines), and the partials are merged once all is read.
// Shared by the plain-file and the log readers so both count lines, and word problems, exactly alike.
internal static class LineBlockWorkers
{
    // Runs read on the calling thread, handing its blocks (through the add callback) to the workers, and merges
    // the workers' counts into builder once read returns. When read throws, the workers stop and nothing is merged.
    // Checks the arguments that every public reader passes on, under their names there.
    public static void Count(
        AccessReportBuilder builder,
        int maxDegreeOfParallelism,
        Action<Action<LineBlock>> read,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDegreeOfParallelism);
        var workerCount = maxDegreeOfParallelism == 0 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        using var blocks = new BlockingCollection<LineBlock>(boundedCapacity: workerCount * 2);
        var partials = new AccessReportBuilder[workerCount];
        var workers = new Task[workerCount];
        for (var i = 0; i < workerCount; i++)
        {
            var partial = partials[i] = builder.CreatePartial();
            workers[i] = Task.Factory.StartNew(
                () => Work(blocks, partial, cancellationToken),
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }

        try
        {
            // Each source is noted before its first block is handed over, so problems list in the order read.
            read(block =>
            {
                builder.NoteSource(block.Source);
                blocks.Add(block, cancellationToken);
            });
        }
        finally
        {
            blocks.CompleteAdding();
            Task.WaitAll(workers, CancellationToken.None);
        }

        foreach (var partial in partials)
        {
            builder.Merge(partial);
        }
    }

    private static void Work(BlockingCollection<LineBlock> blocks, AccessReportBuilder builder, CancellationToken cancellationToken)
    {
        Action<InputProblem> onProblem = builder.AddProblem;
        var scanner = new EventLineCounter(builder);
        foreach (var block in blocks.GetConsumingEnumerable(CancellationToken.None))
        {
            try
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    continue;
                }

                if (block.DroppedLength > 0)
                {
                    onProblem(new InputProblem(block.Source, block.FirstLine, LineBuffer.TooLong(block.DroppedLength)));
                    continue;
                }

                var remaining = block.Bytes.AsSpan(0, block.Length);
                var lineNumber = block.FirstLine;
                var position = block.Position;
                while (!remaining.IsEmpty)
                {
                    var newline = remaining.IndexOf((byte)'\n');
                    var line = newline < 0 ? remaining : remaining[..newline];
                    if (!scanner.TryCount(line, block.Source, position) &&
                        AccessEventReader.TryParseLine(line, block.Source, lineNumber, onProblem, out var record))
                    {
                        // An event whose local date no report can show is a problem of its line, not a crash.
                        if (builder.ProblemOf(record.Event.Time) is { } problem)
                        {
                            onProblem(new InputProblem(block.Source, lineNumber, problem));
                        }
                        else
                        {
                            builder.Add(record);
                        }
                    }

                    lineNumber++;
                    position = position < 0 ? -1 : position + line.Length + 1;
                    remaining = newline < 0 ? [] : remaining[(newline + 1)..];
                }
            }
            finally
            {
                if (block.Bytes.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(block.Bytes);
                }
            }
        }
    }
}
