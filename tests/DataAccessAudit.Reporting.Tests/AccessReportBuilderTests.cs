using System.Globalization;
using System.Text;
using DataAccessAudit.Interchange;
using DataAccessAudit.Regions;
using DataAccessAudit.Reporting.Aggregation;
using DataAccessAudit.Reporting.Formats;
using DataAccessAudit.Reporting.Sources;
using NodaTime;
using static DataAccessAudit.Reporting.Tests.EventLines;

namespace DataAccessAudit.Reporting.Tests;

public sealed class AccessReportBuilderTests
{
    private const string Allowed = """{"outcome":"allowed","crossBorder":false,"findings":[],"policy":"other/1"}""";
    private const string Denied = """{"outcome":"denied","crossBorder":true,"findings":["cross-border-protected-access","country-of-concern-access"],"policy":"project-texas/1"}""";

    private static readonly DateTimeZone LosAngeles = DateTimeZoneProviders.Tzdb["America/Los_Angeles"];

    [Fact]
    public void Build_PeriodOnDaylightSavingEnd_CountsExactlyTheLocalDay()
    {
        var day = new LocalDate(2021, 11, 7);
        var options = new AccessReportOptions { Period = ReportPeriod.Create(day, day, LosAngeles) };

        var report = Report(
            options,
            Line("2021-11-07T06:59:59Z"),        // 23:59:59 PDT on the 6th: before
            Line("2021-11-07T07:00:00Z"),        // 00:00 PDT on the 7th: first instant
            Line("2021-11-07T09:30:00Z"),        // 01:30 PST, the repeated hour
            Line("2021-11-08T07:59:59.999Z"),    // 23:59:59.999 PST on the 7th: last instant
            Line("2021-11-08T08:00:00Z"));       // 00:00 PST on the 8th: after

        Assert.Equal(3, report.Totals.Counts.Events);
        var daily = Assert.Single(report.Daily);
        Assert.Equal(day, daily.Date);
        Assert.Equal(3, daily.Counts.Events);
    }

    [Fact]
    public void Build_PeriodOnDaylightSavingStart_AssignsLocalDates()
    {
        var options = new AccessReportOptions { Period = ReportPeriod.Create(new LocalDate(2022, 3, 12), new LocalDate(2022, 3, 14), LosAngeles) };

        var report = Report(
            options,
            Line("2022-03-13T07:59:59Z"),   // 23:59:59 PST on the 12th
            Line("2022-03-13T08:00:00Z"),   // 00:00 PST on the 13th
            Line("2022-03-14T06:59:59Z"),   // 23:59:59 PDT on the 13th
            Line("2022-03-14T07:00:00Z"));  // 00:00 PDT on the 14th

        Assert.Equal([1L, 2L, 1L], report.Daily.Select(d => d.Counts.Events));
    }

    [Fact]
    public void Build_BoundedPeriod_ListsDaysWithoutEventsAsZeros()
    {
        var options = new AccessReportOptions { Period = ReportPeriod.Create(new LocalDate(2021, 9, 1), new LocalDate(2021, 9, 5), DateTimeZone.Utc) };

        var report = Report(options, Line("2021-09-02T10:00:00Z"), Line("2021-09-04T10:00:00Z"));

        Assert.Equal(5, report.Daily.Count);
        Assert.Equal([0L, 1L, 0L, 1L, 0L], report.Daily.Select(d => d.Counts.Events));
        Assert.Equal(new LocalDate(2021, 9, 1), report.Daily[0].Date);
    }

    [Fact]
    public void Build_Unbounded_ListsOnlyDatesWithEvents()
    {
        var report = Report(Line("2021-09-02T10:00:00Z"), Line("2021-09-09T10:00:00Z"), Line("2021-09-09T11:00:00Z"));

        Assert.Equal([new LocalDate(2021, 9, 2), new LocalDate(2021, 9, 9)], report.Daily.Select(d => d.Date));
        Assert.Null(report.Period.FromInstant);
    }

    [Fact]
    public void Build_RecordedDecision_IsUsedInsteadOfThePolicy()
    {
        // Without a decision, CN reading protected US data is flagged; the recorded decision says allowed.
        var report = Report(
            Line("2021-09-01T00:00:00Z", requesterRegion: "CN", decision: Allowed),
            Line("2021-09-01T00:00:01Z", requesterRegion: "CN"));

        Assert.Equal(2, report.Totals.Counts.Events);
        Assert.Equal(1, report.Totals.Counts.Flagged);
        Assert.Equal(1, report.Totals.Counts.CrossBorder);
    }

    [Fact]
    public void Build_Reevaluate_IgnoresRecordedDecisions()
    {
        var options = new AccessReportOptions { Reevaluate = true };

        var report = Report(
            options,
            Line("2021-09-01T00:00:00Z", requesterRegion: "CN", decision: Allowed),
            Line("2021-09-01T00:00:01Z", requesterRegion: "CN"));

        Assert.Equal(2, report.Totals.Counts.Flagged);
        Assert.Equal(2, report.Totals.Counts.CrossBorder);
    }

    [Fact]
    public void Build_DeniedEvent_IsNotAlsoFlagged()
    {
        var report = Report(Line("2021-09-01T00:00:00Z", requesterRegion: "CN", decision: Denied));

        Assert.Equal(1, report.Totals.Counts.Denied);
        Assert.Equal(0, report.Totals.Counts.Flagged);
        var pair = Assert.Single(report.RegionPairs);
        Assert.Equal(1, pair.Counts.Denied);
        Assert.Equal(0, pair.Counts.Flagged);
    }

    [Fact]
    public void Build_EventWithTwoFindings_CountsUnderBoth()
    {
        var report = Report(
            Line("2021-09-01T00:00:00Z", requesterRegion: "CN"),
            Line("2021-09-01T00:00:01Z", requesterRegion: "SG"));

        Assert.Equal(
            [("cross-border-protected-access", 2L), ("country-of-concern-access", 1L)],
            report.Findings.Select(f => (f.Finding, f.Events)));
    }

    [Fact]
    public void Build_RegionPairs_SortedByEventsWithCrossBorderAndUnknownAsZZ()
    {
        var report = Report(
            Line("2021-09-01T00:00:00Z", requesterRegion: "US"),
            Line("2021-09-01T00:00:01Z", requesterRegion: "CN"),
            Line("2021-09-01T00:00:02Z", requesterRegion: "CN"),
            Line("2021-09-01T00:00:03Z", requesterRegion: null));

        Assert.Equal(
            [("CN", "US", 2L, true), ("US", "US", 1L, false), ("ZZ", "US", 1L, true)],
            report.RegionPairs.Select(p => (p.RequesterRegion.Code, p.DataRegion.Code, p.Counts.Events, p.CrossBorder)));
    }

    [Fact]
    public void Build_RegionPairCrossBorder_FollowsTheRecordedDecisionsNotThePolicy()
    {
        // The recorded decisions disagree with the report's policy both ways: the pair's flag must agree with the
        // totals, which count by decision.
        const string HomeButCrossed = """{"outcome":"flagged","crossBorder":true,"findings":["siem-rule"],"policy":"other/1"}""";
        var report = Report(
            Line("2021-09-01T00:00:00Z", requesterRegion: "CN", decision: Allowed),
            Line("2021-09-01T00:00:01Z", requesterRegion: "US", decision: HomeButCrossed),
            Line("2021-09-01T00:00:02Z", requesterRegion: "US", decision: Allowed));

        Assert.Equal(1, report.Totals.Counts.CrossBorder);
        Assert.Equal(
            [("US", "US", 2L, true), ("CN", "US", 1L, false)],
            report.RegionPairs.Select(p => (p.RequesterRegion.Code, p.DataRegion.Code, p.Counts.Events, p.CrossBorder)));
    }

    [Fact]
    public void Build_Categories_CountEventsBorderAndFlags()
    {
        var report = Report(
            Line("2021-09-01T00:00:00Z", requesterRegion: "CN", category: "public", type: "public-profile"),
            Line("2021-09-01T00:00:01Z", requesterRegion: "CN", category: "public", type: "public-profile"),
            Line("2021-09-01T00:00:02Z", requesterRegion: "CN"));

        Assert.Equal(
            [("public", 2L, 2L, 0L), ("protected", 1L, 1L, 1L)],
            report.Categories.Select(c => (c.Category, c.Counts.Events, c.Counts.CrossBorder, c.Counts.Flagged)));
    }

    [Fact]
    public void Build_Subjects_DefaultToOneAndSumPerRequester()
    {
        var report = Report(
            Line("2021-09-01T00:00:00Z", requester: "a", subjects: 40),
            Line("2021-09-01T00:00:01Z", requester: "a"),
            Line("2021-09-01T00:00:02Z", requester: "b"));

        Assert.Equal(42, report.Totals.Subjects);
        Assert.Equal(41, report.Requesters.Single(r => r.Id == "a").Subjects);
    }

    [Fact]
    public void Build_SubjectsAtTheirLargest_SumExactlyPastWhatALongHolds_InEveryFormat()
    {
        // 2,000 events of 2^53-1 subjects each: about 2^64, where a long sum would have wrapped to a negative number.
        const long Largest = (1L << 53) - 1;
        var lines = Enumerable.Range(0, 2000)
            .Select(i => Line($"2021-09-01T00:{i / 60 % 60:00}:{i % 60:00}Z", requester: i % 2 == 0 ? "a" : "b", subjects: Largest))
            .ToArray();
        var expected = 2000 * (Int128)Largest;

        var report = Report(lines);

        Assert.Equal(expected, report.Totals.Subjects);
        Assert.Equal(Int128.Parse("18014398509481982000", CultureInfo.InvariantCulture), report.Totals.Subjects);
        Assert.Equal(1000 * (Int128)Largest, report.Requesters.Single(r => r.Id == "a").Subjects);
        using var json = System.Text.Json.JsonDocument.Parse(AccessReportJsonWriter.Format(report));
        Assert.Equal("18014398509481982000", json.RootElement.GetProperty("totals").GetProperty("subjects").GetRawText());
        Assert.Equal("9007199254740991000", json.RootElement.GetProperty("requesters")[0].GetProperty("subjects").GetRawText());
        var csv = new StringWriter();
        AccessReportCsvWriter.Write(csv, report, ReportTable.Totals);
        Assert.EndsWith(",18014398509481982000\r\n", csv.ToString(), StringComparison.Ordinal);
        var markdown = new StringWriter();
        AccessReportMarkdownWriter.Write(markdown, report);
        Assert.Contains("| 18,014,398,509,481,982,000 |", markdown.ToString(), StringComparison.Ordinal);
        var html = new StringWriter();
        AccessReportHtmlWriter.Write(html, report);
        // The total's card may break the figure after a separator (<wbr>), never elsewhere.
        Assert.Contains(">18,014,398,509,481,982,000<", html.ToString().Replace("<wbr>", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Requesters_CountDistinctProtectedResourcesAndTypes()
    {
        var report = Report(
            Line("2021-09-01T00:00:00Z", requester: "a", resource: "user/1/dm", type: "direct-message"),
            Line("2021-09-01T00:00:01Z", requester: "a", resource: "user/1/dm", type: "direct-message"),
            Line("2021-09-01T00:00:02Z", requester: "a", resource: "user/2/loc", type: "precise-location"),
            Line("2021-09-01T00:00:03Z", requester: "a", resource: "user/3/profile", category: "public", type: "public-profile"));

        var a = Assert.Single(report.Requesters);
        Assert.Equal(4, a.Counts.Events);
        Assert.Equal(2, a.ProtectedResources);
        Assert.Equal(2, a.ResourceTypes);
    }

    [Fact]
    public void Dispose_FreesTheResourceTablesAndKeepsBuiltReports()
    {
        // Tables released on this thread are the ones Dispose frees (a finalizer releases on its own thread).
        var thread = Environment.CurrentManagedThreadId;
        var released = 0;
        Action<long> onReleased = _ =>
        {
            if (Environment.CurrentManagedThreadId == thread)
            {
                released++;
            }
        };
        var builder = new AccessReportBuilder(new AccessReportOptions());
        foreach (var requester in new[] { "a", "b", "c" })
        {
            // A requester's first resource is held without a set, and a set's first values without a table: nine
            // distinct resources fill the set's first buffer twice, which makes its table.
            for (var resource = 1; resource <= 9; resource++)
            {
                builder.Add(Record(Line("2021-09-01T00:00:00Z", requester: requester, resource: $"user/{resource}/dm")));
            }
        }

        var report = builder.Build(ReportIntegrity.Unverified);
        SlotTable.Released += onReleased;
        try
        {
            builder.Dispose();
            builder.Dispose();
        }
        finally
        {
            SlotTable.Released -= onReleased;
        }

        Assert.Equal(3, released);
        Assert.All(report.Requesters, requester => Assert.Equal(9, requester.ProtectedResources));
    }

    [Fact]
    public void Build_ThenCountingOn_LeavesTheBuiltReportsRequestersAsTheyWere()
    {
        var builder = new AccessReportBuilder(new AccessReportOptions());
        builder.Add(Record(Line("2021-09-01T00:00:00Z", requester: "a", resource: "user/1/dm", type: "dm")));
        builder.Add(Record(Line("2021-09-01T00:00:01Z", requester: "a", resource: "user/2/dm", type: "dm")));
        var first = builder.Build(ReportIntegrity.Unverified);
        var before = first.Requesters.ToList();

        // More of the same requester, read as a record, as a line (the fast reader) and merged from a worker.
        builder.Add(Record(Line("2021-09-02T00:00:00Z", requester: "a", requesterRegion: "CN", resource: "user/3/dm", type: "contact")));
        JsonLinesReportReader.ReadStream(
            new MemoryStream(Encoding.UTF8.GetBytes(
                Line("2021-09-02T00:00:01Z", requester: "a", requesterRegion: "CN", resource: "user/4/dm", type: "location") + "\n"
                + Line("2021-09-02T00:00:02Z", requester: "b", resource: "user/4/dm") + "\n")),
            "more.jsonl",
            builder,
            maxDegreeOfParallelism: 1,
            cancellationToken: TestContext.Current.CancellationToken);
        var partial = builder.CreatePartial();
        partial.Add(Record(Line("2021-09-02T00:00:03Z", requester: "a", requesterRegion: "CN", resource: "user/5/dm", type: "device")));
        builder.Merge(partial);
        var second = builder.Build(ReportIntegrity.Unverified);

        Assert.Equal(before, first.Requesters);
        var a = Assert.Single(first.Requesters);
        Assert.Equal((2L, 2L, 1, "US"), (a.Counts.Events, a.ProtectedResources, a.ResourceTypes, a.Region.Code));
        Assert.Equal(["a", "b"], second.Requesters.Select(r => r.Id));
        a = second.Requesters[0];
        Assert.Equal((5L, 5L, 4, "CN"), (a.Counts.Events, a.ProtectedResources, a.ResourceTypes, a.Region.Code));
    }

    [Fact]
    public void Build_Requesters_SortedByProtectedResourcesThenId()
    {
        var report = Report(
            Line("2021-09-01T00:00:00Z", requester: "c", resource: "r1"),
            Line("2021-09-01T00:00:01Z", requester: "b", resource: "r1"),
            Line("2021-09-01T00:00:02Z", requester: "a", resource: "r1", category: "public"),
            Line("2021-09-01T00:00:03Z", requester: "b", resource: "r2"));

        Assert.Equal(["b", "c", "a"], report.Requesters.Select(r => r.Id));
    }

    [Fact]
    public void Build_RequesterRegion_IsMostFrequentWithAlphabeticalTies()
    {
        var report = Report(
            Line("2021-09-01T00:00:00Z", requester: "a", requesterRegion: "SG"),
            Line("2021-09-01T00:00:01Z", requester: "a", requesterRegion: "CN"),
            Line("2021-09-01T00:00:02Z", requester: "b", requesterRegion: null),
            Line("2021-09-01T00:00:03Z", requester: "b", requesterRegion: null),
            Line("2021-09-01T00:00:04Z", requester: "b", requesterRegion: "US"));

        Assert.Equal(Region.Parse("CN"), report.Requesters.Single(r => r.Id == "a").Region);
        Assert.Equal("ZZ", report.Requesters.Single(r => r.Id == "b").Region.Code);
    }

    [Fact]
    public void Build_MasterAdminPattern_IsMarkedAsBroadAccess()
    {
        string[] types = ["direct-message", "contact-info", "device-id", "precise-location", "payment-info", "viewing-history", "draft-video", "ip-address"];
        var lines = new List<string>();
        for (var i = 0; i < types.Length; i++)
        {
            lines.Add(Line($"2021-09-01T00:00:{i:00}Z", requester: "master-admin", requesterRegion: "CN", resource: $"user/{i}/{types[i]}", type: types[i]));
        }

        // Many others, each with one or two kinds of data; one reads many records of a single kind.
        for (var i = 0; i < 20; i++)
        {
            lines.Add(Line("2021-09-02T00:00:00Z", requester: $"eng-{i:00}", resource: $"user/{i}/dm", type: types[i % 2]));
        }

        for (var i = 0; i < 30; i++)
        {
            lines.Add(Line("2021-09-03T00:00:00Z", requester: "bulk-reader", resource: $"user/{i}/history", type: "viewing-history"));
        }

        var report = Report([.. lines]);

        var broad = Assert.Single(report.Requesters, r => r.BroadAccess);
        Assert.Equal("master-admin", broad.Id);
        Assert.Equal(8, broad.ResourceTypes);
        Assert.Equal("bulk-reader", report.Requesters[0].Id);
        Assert.False(report.Requesters[0].BroadAccess);
    }

    [Fact]
    public void Build_Residency_CountsProtectedAccessesServedOutsideHome()
    {
        var report = Report(
            Line("2021-09-01T00:00:00Z", storedIn: "SG"),
            Line("2021-09-01T00:00:01Z", storedIn: "SG"),
            Line("2021-09-01T00:00:02Z", storedIn: "PR"),   // a US territory: at home
            Line("2021-09-01T00:00:03Z", storedIn: "IE"),
            Line("2021-09-01T00:00:04Z", storedIn: "SG", category: "public", type: "public-profile"),
            Line("2021-09-01T00:00:05Z", dataRegion: "DE", storedIn: "IE"));   // EEA data in the EEA: at home

        Assert.Equal([("SG", 2L), ("IE", 1L)], report.Residency.Select(r => (r.StoredIn.Code, r.ProtectedEvents)));
    }

    [Fact]
    public void Build_BadLines_AreProblemsWithLineAndReasonAndNotCounted()
    {
        var report = Report(
            Line("2021-09-01T00:00:00Z"),
            "{not json",
            Line("2021-09-01T00:00:01Z", requesterRegion: "UK"),
            string.Empty,
            Line("2021-09-01T00:00:02Z"));

        Assert.Equal(2, report.Totals.Counts.Events);
        Assert.Equal(2, report.InputProblemCount);
        Assert.Equal([2L, 3L], report.InputProblems.Select(p => p.Line));
        Assert.All(report.InputProblems, p => Assert.Equal("test.jsonl", p.Source));
        Assert.Contains("requester.region", report.InputProblems[1].Message, StringComparison.Ordinal);
        Assert.True(report.HasProblems);
    }

    [Fact]
    public void AddProblem_BeyondLimit_KeepsFirstProblemsAndCountsAll()
    {
        var builder = new AccessReportBuilder(new AccessReportOptions { MaxInputProblems = 3 });
        for (var line = 200; line >= 1; line--)
        {
            builder.AddProblem(new InputProblem("f.jsonl", line, "bad"));
        }

        var report = builder.Build(ReportIntegrity.Unverified);

        Assert.Equal(200, report.InputProblemCount);
        Assert.Equal([1L, 2L, 3L], report.InputProblems.Select(p => p.Line));
    }

    [Fact]
    public void Merge_PartialBuilders_GivesSameReportAsOneBuilder()
    {
        var records = Enumerable.Range(0, 60)
            .Select(i => Record(Line(
                $"2021-09-{(i % 5) + 1:00}T00:00:{i % 60:00}Z",
                requester: $"r{i % 7}",
                requesterRegion: (i % 3) switch { 0 => "US", 1 => "CN", _ => "SG" },
                resource: $"user/{i % 11}/x",
                storedIn: i % 4 == 0 ? "SG" : "US",
                type: $"t{i % 5}")))
            .ToList();
        var options = new AccessReportOptions();
        var single = new AccessReportBuilder(options);
        single.AddRange(records);
        var merged = new AccessReportBuilder(options);
        var first = merged.CreatePartial();
        var second = merged.CreatePartial();
        for (var i = 0; i < records.Count; i++)
        {
            (i % 2 == 0 ? second : first).Add(records[i]);
        }

        merged.Merge(second);
        merged.Merge(first);

        Assert.Equal(
            AccessReportJsonWriter.Format(single.Build(ReportIntegrity.Unverified)),
            AccessReportJsonWriter.Format(merged.Build(ReportIntegrity.Unverified)));
    }

    [Fact]
    public void Build_NoEventInThePeriod_SaysHowManyLayOutsideIt()
    {
        var day = new LocalDate(2021, 9, 1);
        var options = new AccessReportOptions { Period = ReportPeriod.Create(day, day, DateTimeZone.Utc) };
        var builder = new AccessReportBuilder(options);
        var partial = builder.CreatePartial();
        builder.Add(Record(Line("2021-08-31T23:59:59Z")));
        partial.Add(Record(Line("2021-09-02T00:00:00Z")));
        partial.Add(Record(Line("2022-01-01T00:00:00Z")));
        builder.Merge(partial);

        var report = builder.Build(ReportIntegrity.Unverified);

        Assert.Equal(0, report.Totals.Counts.Events);
        Assert.Equal(3, report.EventsOutsidePeriod);
        Assert.Equal("no events in this period (3 events outside it)", report.EmptyPeriodNote);
        Assert.Contains("No events in this period (3 events outside it).", Markdown(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoEventInThePeriod_OneOutside_SaysSoInTheSingular_OnThePageToo()
    {
        var day = new LocalDate(2021, 9, 1);
        var options = new AccessReportOptions { Period = ReportPeriod.Create(day, day, DateTimeZone.Utc) };

        var report = Report(options, Line("2021-09-03T10:00:00Z"));

        Assert.Equal("no events in this period (1 event outside it)", report.EmptyPeriodNote);
        Assert.Contains("No events in this period (1 event outside it).", Markdown(report), StringComparison.Ordinal);
        using var html = new StringWriter();
        AccessReportHtmlWriter.Write(html, report);
        Assert.Contains("<strong>No events in this period (1 event outside it).</strong>", html.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_EventsInThePeriod_HasNoEmptyPeriodNote()
    {
        var day = new LocalDate(2021, 9, 1);
        var options = new AccessReportOptions { Period = ReportPeriod.Create(day, day, DateTimeZone.Utc) };

        var report = Report(options, Line("2021-09-01T10:00:00Z"), Line("2021-09-03T10:00:00Z"));

        Assert.Equal(1, report.EventsOutsidePeriod);
        Assert.Null(report.EmptyPeriodNote);
        Assert.DoesNotContain("no events in this period", Markdown(report), StringComparison.OrdinalIgnoreCase);
    }

    private static string Markdown(AccessReport report)
    {
        using var writer = new StringWriter();
        AccessReportMarkdownWriter.Write(writer, report);
        return writer.ToString();
    }

    [Fact]
    public void Merge_BuilderWithOtherOptions_Throws()
    {
        var builder = new AccessReportBuilder(new AccessReportOptions());

        Assert.Throws<ArgumentException>(() => builder.Merge(new AccessReportBuilder(new AccessReportOptions())));
    }

    [Fact]
    public void Build_Integrity_IsWhatTheSourceSaid()
    {
        var builder = new AccessReportBuilder(new AccessReportOptions());
        var integrity = ReportIntegrity.Broken([new InputProblem("log/segment-0001.jsonl", 12, "hash chain broken")]);

        var report = builder.Build(integrity);

        Assert.Equal(IntegrityStatus.Broken, report.Integrity.Status);
        Assert.True(report.HasProblems);
    }
}
