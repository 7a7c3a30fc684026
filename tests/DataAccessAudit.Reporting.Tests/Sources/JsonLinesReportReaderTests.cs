using System.Security.Cryptography;
using System.Text;
using DataAccessAudit.Interchange;
using DataAccessAudit.Reporting.Formats;
using DataAccessAudit.Reporting.Sources;
using static DataAccessAudit.Reporting.Tests.EventLines;

namespace DataAccessAudit.Reporting.Tests.Sources;

public sealed class JsonLinesReportReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("report-reader-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Read_ManyBlocksOnSeveralWorkers_GivesSameReportAsSequentialReader()
    {
        // Enough lines to span several 1 MiB blocks, with bad lines scattered through them.
        var lines = new List<string>();
        for (var i = 0; i < 12_000; i++)
        {
            lines.Add(i % 997 == 0
                ? "{\"schema\":\"access-event/1\"}"
                : Line($"2021-09-{(i % 28) + 1:00}T{i % 24:00}:00:00Z", requester: $"r{i % 50}", requesterRegion: i % 3 == 0 ? "CN" : "US", resource: $"user/{i % 500}/dm", storedIn: i % 5 == 0 ? "SG" : "US", type: $"t{i % 4}"));
        }

        var path = Path.Combine(_directory, "events.jsonl");
        File.WriteAllText(path, "\uFEFF" + string.Join("\r\n", lines) + "\n");
        var options = new AccessReportOptions();

        var parallel = new AccessReportBuilder(options);
        JsonLinesReportReader.Read([path], parallel, maxDegreeOfParallelism: 3, cancellationToken: TestContext.Current.CancellationToken);
        var sequential = new AccessReportBuilder(options);
        using (var stream = File.OpenRead(path))
        {
            sequential.AddRange(AccessEventReader.Read(stream, path, sequential.AddProblem));
        }

        var expected = AccessReportJsonWriter.Format(sequential.Build(ReportIntegrity.Unverified));
        Assert.Equal(expected, AccessReportJsonWriter.Format(parallel.Build(ReportIntegrity.Unverified)));
        Assert.Equal(13, parallel.InputProblemCount);
    }

    [Fact]
    public async Task Read_APipeAsAFile_ListsItsAccessesNeedingAction_AsTheSameFileOnDiskDoes()
    {
        // A FIFO, as a shell's <(zcat events.gz) gives: it cannot be read again to fetch the lines listed.
        var lines = string.Concat(Enumerable.Range(0, 300).Select(i => Line($"2021-09-{(i % 28) + 1:00}T00:00:00Z", requester: $"r{i % 7}", requesterRegion: i % 2 == 0 ? "CN" : "US") + "\n"));
        var file = Path.Combine(_directory, "events.jsonl");
        File.WriteAllText(file, lines);
        var fifo = Path.Combine(_directory, "events.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var writing = Task.Run(() => File.WriteAllText(fifo, lines), TestContext.Current.CancellationToken);
        var fromPipe = new AccessReportBuilder(new AccessReportOptions());
        JsonLinesReportReader.Read([fifo], fromPipe, cancellationToken: TestContext.Current.CancellationToken);
        await writing;
        var fromFile = new AccessReportBuilder(new AccessReportOptions());
        JsonLinesReportReader.Read([file], fromFile, cancellationToken: TestContext.Current.CancellationToken);

        var piped = fromPipe.Build(ReportIntegrity.Unverified);
        Assert.True(piped.NeedingAction.Count > 0);
        Assert.Equal(
            AccessReportJsonWriter.Format(fromFile.Build(ReportIntegrity.Unverified)).Replace("events.jsonl", "events.fifo", StringComparison.Ordinal),
            AccessReportJsonWriter.Format(piped));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData((3 << 20) + 5)]
    public void Read_FilesOfAnySizeAroundItsBlocks_AreDescribedByTheSizeAndSha256OfEveryByteInOrder(int length)
    {
        // Random bytes: lines of any length, some longer than a block (dropped as too long, yet hashed).
        var first = Path.Combine(_directory, "first.jsonl");
        var second = Path.Combine(_directory, "second.jsonl");
        var firstBytes = RandomBytes(length, seed: length);
        var secondBytes = Encoding.UTF8.GetBytes(Line("2021-09-01T00:00:00Z") + "\n");
        File.WriteAllBytes(first, firstBytes);
        File.WriteAllBytes(second, secondBytes);

        var files = JsonLinesReportReader.Read([first, second], new AccessReportBuilder(new AccessReportOptions()), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal([first, second], files.Select(file => file.Name));
        Assert.Equal([(long)length, secondBytes.Length], files.Select(file => file.Size));
        Assert.Equal([Sha256Of(firstBytes), Sha256Of(secondBytes)], files.Select(file => file.Sha256));
    }

    [Theory]
    [InlineData(0)]
    [InlineData((2 << 20) + 3)]
    public void ReadStream_IsDescribedByTheSizeAndSha256OfEveryByteRead(int length)
    {
        var bytes = RandomBytes(length, seed: length);

        var described = JsonLinesReportReader.ReadStream(new MemoryStream(bytes), "stdin", new AccessReportBuilder(new AccessReportOptions()), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("stdin", described.Name);
        Assert.Equal(length, described.Size);
        Assert.Equal(Sha256Of(bytes), described.Sha256);
    }

    [Fact]
    public void Read_LastLineWithoutLineEnd_IsCounted()
    {
        var path = Path.Combine(_directory, "events.jsonl");
        File.WriteAllText(path, Line("2021-09-01T00:00:00Z") + "\n" + Line("2021-09-01T00:00:01Z"));
        var builder = new AccessReportBuilder(new AccessReportOptions());

        JsonLinesReportReader.Read([path], builder, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, builder.EventCount);
    }

    [Fact]
    public void Read_EventsOutsideThePeriod_AreCountedAsSuch()
    {
        var path = Path.Combine(_directory, "events.jsonl");
        File.WriteAllLines(path, [Line("2021-08-01T00:00:00Z"), Line("2021-09-01T00:00:00Z"), Line("2021-10-01T00:00:00Z")]);
        var day = new NodaTime.LocalDate(2021, 9, 1);
        var builder = new AccessReportBuilder(new AccessReportOptions { Period = ReportPeriod.Create(day, day, NodaTime.DateTimeZone.Utc) });

        JsonLinesReportReader.Read([path], builder, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, builder.EventCount);
        Assert.Equal(2, builder.EventsOutsidePeriod);
    }

    [Fact]
    public void Read_LineLongerThanABlock_IsParsed()
    {
        var path = Path.Combine(_directory, "events.jsonl");
        var longId = new string('x', JsonLinesReportReader.BlockSize + 10);
        File.WriteAllText(path, Line("2021-09-01T00:00:00Z", resource: longId) + "\n" + Line("2021-09-01T00:00:01Z") + "\n");
        var builder = new AccessReportBuilder(new AccessReportOptions());

        JsonLinesReportReader.Read([path], builder, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, builder.EventCount);
        Assert.Equal(0, builder.InputProblemCount);
    }

    [Fact]
    public void Read_SeveralFiles_NumbersLinesPerFile()
    {
        var first = Path.Combine(_directory, "a.jsonl");
        var second = Path.Combine(_directory, "b.jsonl");
        File.WriteAllText(first, Line("2021-09-01T00:00:00Z") + "\nnot json\n");
        File.WriteAllText(second, "\n\nnot json either\n");
        var builder = new AccessReportBuilder(new AccessReportOptions());

        JsonLinesReportReader.Read([first, second], builder, cancellationToken: TestContext.Current.CancellationToken);
        var report = builder.Build(ReportIntegrity.Unverified);

        Assert.Equal([(first, 2L), (second, 3L)], report.InputProblems.Select(p => (p.Source, p.Line)));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(3)]
    public void Read_SeveralFiles_ListsProblemsInTheOrderTheFilesWereGiven_NotByName(int maxInputProblems)
    {
        var p1 = Path.Combine(_directory, "p1.jsonl");
        var p2 = Path.Combine(_directory, "p2.jsonl");
        File.WriteAllText(p1, "not json\nnot json\n");
        File.WriteAllText(p2, "\nnot json\nnot json\n");
        var builder = new AccessReportBuilder(new AccessReportOptions { MaxInputProblems = maxInputProblems });

        JsonLinesReportReader.Read([p2, p1], builder, maxDegreeOfParallelism: 2, cancellationToken: TestContext.Current.CancellationToken);
        var report = builder.Build(ReportIntegrity.Unverified);

        (string, long)[] all = [(p2, 2L), (p2, 3L), (p1, 1L), (p1, 2L)];
        Assert.Equal(all.Take(maxInputProblems), report.InputProblems.Select(p => (p.Source, p.Line)));
        Assert.Equal(4, report.InputProblemCount);
    }

    [Fact]
    public void AddProblem_FromSourcesReadOneAfterAnother_ListsThemInTheOrderRead()
    {
        var builder = new AccessReportBuilder(new AccessReportOptions());

        builder.AddProblem(new InputProblem("z.jsonl", 7, "bad"));
        builder.AddProblem(new InputProblem("a.jsonl", 1, "bad"));
        builder.AddProblem(new InputProblem("z.jsonl", 2, "bad"));

        Assert.Equal([("z.jsonl", 2L), ("z.jsonl", 7L), ("a.jsonl", 1L)], builder.Build(ReportIntegrity.Unverified).InputProblems.Select(p => (p.Source, p.Line)));
    }

    [Fact]
    public void Read_MissingFile_ThrowsNamingIt()
    {
        var missing = Path.Combine(_directory, "missing.jsonl");

        var exception = Assert.ThrowsAny<IOException>(() => JsonLinesReportReader.Read([missing], new AccessReportBuilder(new AccessReportOptions()), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("missing.jsonl", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyFile_CountsNothing()
    {
        var path = Path.Combine(_directory, "empty.jsonl");
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(string.Empty));
        var builder = new AccessReportBuilder(new AccessReportOptions());

        JsonLinesReportReader.Read([path], builder, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, builder.EventCount);
    }

    [Fact]
    public void Read_LinesLongerThanTheLimit_AreProblemsOfTheirLines_AndLaterLinesKeepTheirNumbers()
    {
        // Through a file and through standard input's path: the same problems, with the same line numbers.
        var tooLong = new string('x', AccessEventReader.MaxLineLength + 1);
        var text = $"{Line("2021-09-01T00:00:00Z")}\n{tooLong}\n{Line("2021-09-01T00:00:01Z")}\nnot json\n{tooLong}";
        var path = Path.Combine(_directory, "events.jsonl");
        File.WriteAllText(path, text);
        var fromFile = new AccessReportBuilder(new AccessReportOptions());
        var fromStream = new AccessReportBuilder(new AccessReportOptions());

        JsonLinesReportReader.Read([path], fromFile, cancellationToken: TestContext.Current.CancellationToken);
        using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(text)))
        {
            JsonLinesReportReader.ReadStream(stream, "stdin", fromStream, cancellationToken: TestContext.Current.CancellationToken);
        }

        var report = fromFile.Build(ReportIntegrity.Unverified);
        Assert.Equal(2, report.Totals.Counts.Events);
        Assert.Equal([2L, 4L, 5L], report.InputProblems.Select(p => p.Line).Order());
        Assert.All(
            report.InputProblems.Where(p => p.Line != 4),
            p => Assert.Equal("the line is 16,777,217 bytes long, more than the 16,777,216 bytes (16 MiB) a line may hold; it was skipped", p.Message));
        var stdin = fromStream.Build(ReportIntegrity.Unverified);
        Assert.Equal(2, stdin.Totals.Counts.Events);
        Assert.Equal(
            report.InputProblems.Select(p => (p.Line, p.Message)).Order(),
            stdin.InputProblems.Select(p => (p.Line, p.Message)).Order());
        Assert.All(stdin.InputProblems, p => Assert.Equal("stdin", p.Source));
    }

    [Fact]
    public void Read_AccessesNeedingActionAcrossManyBlocks_ListsTheSameAccessesAsStandardInput()
    {
        // A file's accesses needing action are read back from the file by their places: across 1 MiB blocks, with
        // CRLF line ends, a byte order mark, and after a line too long to keep (past which blocks have no places).
        var lines = new List<string>();
        for (var i = 0; i < 8_000; i++)
        {
            lines.Add(Line($"2021-09-{(i % 28) + 1:00}T{i % 24:00}:{i % 60:00}:00Z", requester: $"r{i % 50}", requesterRegion: i % 3 == 0 ? "CN" : "US", resource: $"user/{i}/dm"));
            if (i == 6_000)
            {
                lines.Add(new string('x', AccessEventReader.MaxLineLength + 1));
            }
        }

        var text = "\uFEFF" + string.Join("\r\n", lines) + "\n";
        var path = Path.Combine(_directory, "events.jsonl");
        File.WriteAllText(path, text);
        var options = new AccessReportOptions();
        var fromFile = new AccessReportBuilder(options);
        var fromStream = new AccessReportBuilder(options);

        JsonLinesReportReader.Read([path], fromFile, maxDegreeOfParallelism: 2, cancellationToken: TestContext.Current.CancellationToken);
        using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(text)))
        {
            JsonLinesReportReader.ReadStream(stream, "stdin", fromStream, maxDegreeOfParallelism: 2, cancellationToken: TestContext.Current.CancellationToken);
        }

        using var file = fromFile.Build(ReportIntegrity.Unverified).NeedingAction;
        using var stdin = fromStream.Build(ReportIntegrity.Unverified).NeedingAction;
        Assert.True(file.Count > 2_000, $"{file.Count} accesses needing action");
        Assert.Equal(stdin.ReadAll().Select(AccessEventJson.Format), file.ReadAll().Select(AccessEventJson.Format));
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Sha256Of(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}
