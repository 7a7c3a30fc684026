using DataAccessAudit.BulkData;
using DataAccessAudit.Policy;
using DataAccessAudit.Reporting.Formats;
using DataAccessAudit.Reporting.Sources;
using NodaTime;
using static DataAccessAudit.Reporting.Tests.BulkData.BulkLines;

namespace DataAccessAudit.Reporting.Tests.BulkData;

public sealed class BulkThresholdsReportTests : IDisposable
{
    private static readonly AccessPolicy Policy = AccessPolicy.ProjectTexas.WithBulkData(BulkDataPolicy.DataSecurityProgram.WithCoveredOrganizations(["ByteDance"]));
    private static readonly DateTimeZone LosAngeles = DateTimeZoneProviders.Tzdb["America/Los_Angeles"];

    private readonly string _directory = Directory.CreateTempSubdirectory("bulk-report-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Build_PolicyWithoutBulkData_HasNoSection()
    {
        var report = EventLines.Report(Line("2022-01-01T00:00:00Z", subjects: 500));

        Assert.Empty(report.BulkThresholds);
        Assert.DoesNotContain("Bulk sensitive data", Markdown(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_EveryKindOfThePolicy_HasATotalRowEvenWithoutData()
    {
        var report = Report(To(2022, 6, 30), Line("2022-01-01T00:00:00Z", subjects: 5));

        Assert.Equal(Policy.BulkData!.Kinds.Select(k => k.Name), report.BulkThresholds.Where(r => r.Counterparty is null).Select(r => r.Kind));
        Assert.All(report.BulkThresholds, r => Assert.Equal(new BulkWindow(new LocalDate(2021, 7, 1), new LocalDate(2022, 6, 30)), r.Window));
    }

    [Fact]
    public void Build_SubjectsWithoutKeys_AreAnUpperBoundThatCrossesAtOneMoreThanTheThreshold()
    {
        var report = Report(
            To(2022, 6, 30),
            Line("2022-01-01T00:00:00Z", requester: "cn-1", subjects: 60),
            Line("2022-02-01T00:00:00Z", requester: "cn-1", subjects: 40),
            Line("2022-02-01T00:00:00Z", requester: "cn-2", subjects: 101));

        var one = Row(report, "human-genomic", "cn-1");
        Assert.Equal(100, one.DistinctPersons);
        Assert.Equal(BulkCountBasis.UpperBound, one.Basis);
        Assert.False(one.Crossed);
        Assert.Null(one.FirstCrossed);
        Assert.Equal(1.0, one.Fraction);

        var two = Row(report, "human-genomic", "cn-2");
        Assert.True(two.Crossed);
        Assert.Equal(new LocalDate(2022, 2, 1), two.FirstCrossed);
        Assert.Equal(201, Row(report, "human-genomic", null).DistinctPersons);
    }

    [Fact]
    public void Build_SubjectsWithoutKeysPastWhatALongHolds_StayAnUpperBoundAtLongMaxValue()
    {
        // 2,000 accesses of 2^53-1 subjects each sum to about 2^64: the figure stops at long.MaxValue, still above
        // every threshold, instead of wrapping to a negative number; the contributors' subject records stay exact.
        const long Largest = (1L << 53) - 1;
        var lines = Enumerable.Range(0, 2000)
            .Select(i => Line($"2022-01-{i % 28 + 1:00}T00:00:00Z", requester: "cn-1", subjects: Largest))
            .ToArray();

        var report = Report(To(2022, 6, 30), lines);

        var row = Row(report, "human-genomic", "cn-1");
        Assert.Equal(long.MaxValue, row.DistinctPersons);
        Assert.Equal(BulkCountBasis.UpperBound, row.Basis);
        Assert.True(row.Crossed);
        Assert.Equal(new LocalDate(2022, 1, 1), row.FirstCrossed);
        Assert.Equal(2000 * (Int128)Largest, Assert.Single(row.TopRequesters).SubjectRecords);
        Assert.Equal(long.MaxValue, Row(report, "human-genomic", null).DistinctPersons);
    }

    [Fact]
    public void Build_SubjectKeys_CountDistinctPeopleAcrossAccessesExactly()
    {
        var report = Report(
            To(2022, 6, 30),
            Line("2022-01-01T00:00:00Z", keys: Keys(0, 80)),
            Line("2022-03-01T00:00:00Z", keys: Keys(40, 80)),     // 40 of them seen before
            Line("2022-03-02T00:00:00Z", keys: Keys(500, 1)));

        var row = Row(report, "human-genomic", "cn-1");
        Assert.Equal(121, row.DistinctPersons);
        Assert.Equal(BulkCountBasis.Exact, row.Basis);
        Assert.Equal(0, row.RelativeError);
        Assert.Equal(new LocalDate(2022, 3, 1), row.FirstCrossed);
        Assert.Equal([new BulkContributor("cn-1", 161)], row.TopRequesters);
    }

    [Fact]
    public void Build_ManySubjectKeys_AreEstimatedWithTheSketchsError()
    {
        var lines = Enumerable.Range(0, 50).Select(i => Line($"2022-02-{(i % 28) + 1:00}T00:00:00Z", type: "device-id", keys: Keys(i * 2_000, 2_500))).ToArray();

        var row = Row(Report(To(2022, 6, 30), lines), "covered-personal-identifiers", "cn-1");

        Assert.Equal(BulkCountBasis.Estimated, row.Basis);
        Assert.Equal(DistinctCountSketch.RelativeStandardError, row.RelativeError);
        Assert.InRange(row.DistinctPersons, 100_500 * 0.975, 100_500 * 1.025);
    }

    [Fact]
    public void Build_KeysAndAccessesWithoutKeys_IsAnUpperBound()
    {
        var report = Report(To(2022, 6, 30), Line("2022-01-01T00:00:00Z", keys: Keys(0, 10)), Line("2022-01-02T00:00:00Z", subjects: 5));

        var row = Row(report, "human-genomic", "cn-1");
        Assert.Equal(15, row.DistinctPersons);
        Assert.Equal(BulkCountBasis.UpperBound, row.Basis);
    }

    [Fact]
    public void Build_MoreSubjectsThanKeys_CountsThePeopleWithoutKeysAsAnUpperBound()
    {
        // An access that says it touched 150 people but lists the keys of 10 reached 140 more U.S. persons: counting
        // only the keys would leave 10, below the threshold of 100.
        var lines = new[] { Line("2022-01-01T00:00:00Z", subjects: 150, keys: Keys(0, 10)) };
        var path = Path.Combine(_directory, "events.jsonl");
        File.WriteAllText(path, lines[0]);
        var options = new AccessReportOptions { Policy = Policy, Period = To(2022, 6, 30) };
        var fast = new AccessReportBuilder(options);
        JsonLinesReportReader.Read([path], fast, maxDegreeOfParallelism: 1, cancellationToken: TestContext.Current.CancellationToken);

        foreach (var report in new[] { Report(To(2022, 6, 30), lines), fast.Build(ReportIntegrity.Unverified) })
        {
            var row = Row(report, "human-genomic", "cn-1");
            Assert.Equal(150, row.DistinctPersons);
            Assert.Equal(BulkCountBasis.UpperBound, row.Basis);
            Assert.True(row.Crossed);
            Assert.Equal(new LocalDate(2022, 1, 1), row.FirstCrossed);
        }
    }

    [Fact]
    public void Build_KeysListedTwiceWithoutSubjects_StayExact()
    {
        // subjects defaults to the number of keys listed, so a key listed twice adds no person without a key.
        var report = Report(To(2022, 6, 30), Line("2022-01-01T00:00:00Z", keys: [.. Keys(0, 5), .. Keys(0, 5)]));

        var row = Row(report, "human-genomic", "cn-1");
        Assert.Equal(5, row.DistinctPersons);
        Assert.Equal(BulkCountBasis.Exact, row.Basis);
    }

    [Fact]
    public void Build_GenomesAndOtherOmicProfiles_AddUpToTheOmicThresholdWithoutLoweringIt()
    {
        // Genomic data is 'omic data (28 CFR 202.224(a)(1)): 100 genomes and 950 other persons' proteomic profiles are
        // 'omic data on 1,050 U.S. persons, more than 1,000, while the genomes alone do not pass 100 (28 CFR 202.205(a)).
        var report = Report(
            To(2022, 6, 30),
            Line("2022-01-01T00:00:00Z", type: "genome", keys: Keys(0, 100)),
            Line("2022-02-01T00:00:00Z", type: "omic-profile", keys: Keys(1_000, 950)));

        var genomic = Row(report, "human-genomic", "cn-1");
        Assert.Equal(100, genomic.DistinctPersons);
        Assert.False(genomic.Crossed);

        var omic = Row(report, "human-omic", "cn-1");
        Assert.Equal(1_050, omic.DistinctPersons);
        Assert.Equal(1_000, omic.Threshold);
        Assert.Empty(omic.CombinedWith);
        Assert.True(omic.Crossed);
        Assert.Equal(new LocalDate(2022, 2, 1), omic.FirstCrossed);
    }

    [Fact]
    public void Build_WindowOfAYearWithoutALeapDay_EndsItsDay366BeforeTheEnd()
    {
        var report = Report(
            To(2025, 3, 1),
            Line("2024-03-01T12:00:00Z", subjects: 1_000),   // the same date a year before: outside
            Line("2024-03-02T00:00:00Z", subjects: 7));      // day 365 counting back: inside

        Assert.Equal(7, Row(report, "human-genomic", "cn-1").DistinctPersons);
        Assert.Equal(new LocalDate(2024, 3, 2), Row(report, "human-genomic", "cn-1").Window.Start);
    }

    [Fact]
    public void Build_WindowOverALeapDay_Spans366Days()
    {
        var report = Report(
            To(2024, 3, 1),
            Line("2023-03-01T23:59:59Z", subjects: 1_000),   // outside
            Line("2023-03-02T00:00:00Z", subjects: 3),       // day 366 counting back: inside
            Line("2024-02-29T10:00:00Z", subjects: 4));

        var row = Row(report, "human-genomic", "cn-1");
        Assert.Equal(7, row.DistinctPersons);
        Assert.Equal(366, row.Window.Days);
    }

    [Fact]
    public void Build_InTheReportsTimeZone_DatesAreLocal()
    {
        // 2024-03-02T07:30Z is still the 1st in Los Angeles: outside the window ending on 2025-03-01 there.
        var report = Report(
            Period(new LocalDate(2025, 2, 1), new LocalDate(2025, 3, 1), LosAngeles),
            Line("2024-03-02T07:30:00Z", subjects: 1_000),
            Line("2024-03-02T08:30:00Z", subjects: 5),       // 00:30 on the 2nd: inside
            Line("2025-03-02T07:59:59Z", subjects: 6));      // 23:59:59 on the 1st: inside

        Assert.Equal(11, Row(report, "human-genomic", "cn-1").DistinctPersons);
    }

    [Fact]
    public void Build_TwelveMonthsBeforeTheWindowStartOnADateTheZoneSkipped_CountsFromTheNextDate()
    {
        // Samoa skipped 30 December 2011 to cross the date line; the report ending on 2013-12-28 reads back to it.
        var apia = DateTimeZoneProviders.Tzdb["Pacific/Apia"];
        var report = Report(
            Period(new LocalDate(2013, 12, 1), new LocalDate(2013, 12, 28), apia),
            Line("2011-12-31T10:00:00Z", subjects: 101),     // 2012-01-01 in Apia: read, and before the window
            Line("2013-01-05T00:00:00Z", subjects: 3));

        var row = Row(report, "human-genomic", "cn-1");
        Assert.Equal(3, row.DistinctPersons);
        Assert.Equal(new LocalDate(2012, 12, 29), row.Window.Start);
        Assert.Equal(new LocalDate(2012, 12, 29), row.FirstCrossed);
    }

    [Fact]
    public void Build_CombinedKinds_CountForEachAndMeetTheLowestThreshold()
    {
        // A health record carries health data and identifiers: the identifiers are judged against 10,000, not 100,000.
        var report = Report(To(2022, 6, 30), Line("2022-03-01T00:00:00Z", type: "health-record", subjects: 10_001));

        var health = Row(report, "personal-health", "cn-1");
        var identifiers = Row(report, "covered-personal-identifiers", "cn-1");
        Assert.Equal(10_001, health.DistinctPersons);
        Assert.True(health.Crossed);
        Assert.Equal(10_000, identifiers.Threshold);
        Assert.Equal(["personal-health"], identifiers.CombinedWith);
        Assert.True(identifiers.Crossed);
        Assert.Equal(new LocalDate(2022, 3, 1), identifiers.FirstCrossed);
    }

    [Fact]
    public void Build_IdentifiersAlone_KeepTheirOwnThreshold()
    {
        var report = Report(To(2022, 6, 30), Line("2022-03-01T00:00:00Z", type: "device-id", subjects: 10_001));

        var identifiers = Row(report, "covered-personal-identifiers", "cn-1");
        Assert.Equal(100_000, identifiers.Threshold);
        Assert.False(identifiers.Crossed);
        Assert.Empty(identifiers.CombinedWith);
    }

    [Fact]
    public void Build_EmployeesOfACoveredOrganization_AddUpWhereverTheyAre()
    {
        var report = Report(
            To(2022, 6, 30),
            Line("2022-01-01T00:00:00Z", requester: "bd-1", region: "SG", organization: "ByteDance", subjects: 60),
            Line("2022-01-02T00:00:00Z", requester: "bd-2", region: "CN", organization: "bytedance", subjects: 45),
            Line("2022-01-03T00:00:00Z", requester: "sg-1", region: "SG", organization: "TikTok Singapore", subjects: 500));

        var row = Row(report, "human-genomic", "ByteDance");
        Assert.True(row.Counterparty!.Value.IsOrganization);
        Assert.Equal(105, row.DistinctPersons);
        Assert.Equal(new LocalDate(2022, 1, 2), row.FirstCrossed);
        Assert.Equal([new BulkContributor("bd-1", 60), new BulkContributor("bd-2", 45)], row.TopRequesters);
        Assert.DoesNotContain(report.BulkThresholds, r => r.Counterparty?.Name is "sg-1" or "TikTok Singapore");
    }

    [Fact]
    public void Build_DeniedAccessesDataAbroadAndPrivateMessages_DoNotCount()
    {
        var report = Report(
            To(2022, 6, 30),
            Line("2022-01-01T00:00:00Z", subjects: 500, decision: DeniedDecision),
            Line("2022-01-01T00:00:00Z", subjects: 500, dataRegion: "DE"),
            Line("2022-01-01T00:00:00Z", subjects: 500, type: "direct-message"),
            Line("2022-01-01T00:00:00Z", subjects: 2));

        Assert.Equal(2, Row(report, "human-genomic", "cn-1").DistinctPersons);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2021-08-01T00:00:00Z")]
    public void Build_CrossedBeforeTheWindowAndStillOnItsFirstDate_ReportsItsFirstDate(string? laterAccess)
    {
        // 101 people in March 2021: the 12 months preceding 2021-07-01, the window's first date, hold them, whether or
        // not the counterparty read anything in the window itself.
        string[] lines = [Line("2021-03-01T00:00:00Z", subjects: 101), .. laterAccess is null ? [] : new[] { Line(laterAccess, subjects: 1) }];
        var report = Report(To(2022, 6, 30), lines);

        var row = Row(report, "human-genomic", "cn-1");
        Assert.False(row.Crossed);
        Assert.Equal(new LocalDate(2021, 7, 1), row.FirstCrossed);
    }

    [Fact]
    public void Build_CrossedEarlierInTheWindowButNotAtItsEnd_ReportsTheFirstCrossing()
    {
        // 80 people in July 2021 and 30 in March 2022: the window ending in March holds 110; by the end of July 2022
        // the July 2021 accesses have left it.
        var report = Report(
            To(2022, 7, 31),
            Line("2021-07-10T00:00:00Z", subjects: 80),
            Line("2022-03-15T00:00:00Z", subjects: 30));

        var row = Row(report, "human-genomic", "cn-1");
        Assert.Equal(30, row.DistinctPersons);
        Assert.False(row.Crossed);
        Assert.Equal(new LocalDate(2022, 3, 15), row.FirstCrossed);
    }

    [Fact]
    public void Build_AccessesBeforeTheWindowNeededForTheFirstCrossing_AreCountedEvenBeforeThePeriod()
    {
        var report = Report(
            Period(new LocalDate(2022, 6, 1), new LocalDate(2022, 6, 30), DateTimeZone.Utc),
            Line("2021-06-15T00:00:00Z", subjects: 90),
            Line("2021-07-01T00:00:00Z", subjects: 20));

        Assert.Equal(0, report.Totals.Counts.Events);
        var row = Row(report, "human-genomic", "cn-1");
        Assert.Equal(20, row.DistinctPersons);
        Assert.Equal(new LocalDate(2021, 7, 1), row.FirstCrossed);
    }

    [Fact]
    public void Build_GovernmentRelatedData_IsCrossedByOnePerson()
    {
        var report = Report(To(2022, 6, 30), Line("2022-01-01T00:00:00Z", type: "government-personnel"));

        var row = Row(report, "government-related", "cn-1");
        Assert.True(row.Crossed);
        Assert.Null(row.Fraction);

        // The identifiers of the same records keep their own threshold: 28 CFR 202.205(g) combines only (a) to (f).
        var identifiers = Row(report, "covered-personal-identifiers", "cn-1");
        Assert.Equal(100_000, identifiers.Threshold);
        Assert.False(identifiers.Crossed);
        Assert.Equal(["government-related"], identifiers.CombinedWith);
    }

    [Fact]
    public void Read_FastScannerAndFullParser_GiveTheSameSection()
    {
        var lines = new List<string>();
        for (var i = 0; i < 3_000; i++)
        {
            lines.Add(Line(
                $"2022-{(i % 6) + 1:00}-{(i % 28) + 1:00}T{i % 24:00}:00:00Z",
                requester: $"r{i % 7}",
                region: i % 3 == 0 ? "SG" : "CN",
                organization: i % 5 == 0 ? "ByteDance" : null,
                type: (i % 4) switch { 0 => "genome", 1 => "health-record", 2 => "precise-location", _ => "direct-message" },
                subjects: i % 2 == 0 ? (i % 9) + 1 : null,
                keys: i % 2 == 0 ? null : Keys(i % 500, (i % 7) + 1),
                decision: i % 11 == 0 ? DeniedDecision : Flagged));

            // Some arrays of keys with whitespace, which the scanner's reader path takes instead of its compact pass,
            // and some lines with an escape, which the full parser reads: a person whose keys were hashed apart by
            // different readers would be counted twice.
            if (i % 13 == 0)
            {
                lines[^1] = lines[^1].Replace("\"subjectKeys\":[", "\"subjectKeys\": [ ", StringComparison.Ordinal).Replace("\",\"", "\" ,\t \"", StringComparison.Ordinal);
            }
            else if (i % 17 == 0)
            {
                lines[^1] = lines[^1].Replace("\"action\":\"read\"", "\"action\":\"re\\u0061d\"", StringComparison.Ordinal);
            }
        }

        var path = Path.Combine(_directory, "events.jsonl");
        File.WriteAllText(path, string.Join('\n', lines));
        var options = new AccessReportOptions { Policy = Policy, Period = To(2022, 6, 30) };
        var fast = new AccessReportBuilder(options);
        JsonLinesReportReader.Read([path], fast, maxDegreeOfParallelism: 2, cancellationToken: TestContext.Current.CancellationToken);

        var expected = AccessReportJsonWriter.Format(EventLines.Report(options, [.. lines]));
        Assert.Equal(expected, AccessReportJsonWriter.Format(fast.Build(ReportIntegrity.Unverified)));
        Assert.Contains("\"counterparty\": \"ByteDance\"", expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_PartialBuilders_GiveTheSameSectionAsOneBuilder()
    {
        var options = new AccessReportOptions { Policy = Policy, Period = To(2022, 6, 30) };
        var lines = Enumerable.Range(0, 400).Select(i => Line($"2022-0{(i % 5) + 1}-1{i % 10}T00:00:00Z", requester: $"r{i % 3}", subjects: (i % 4) + 1)).ToArray();
        var whole = EventLines.Report(options, lines);

        var first = new AccessReportBuilder(options);
        var second = first.CreatePartial();
        for (var i = 0; i < lines.Length; i++)
        {
            (i % 2 == 0 ? first : second).Add(EventLines.Record(lines[i]));
        }

        first.Merge(second);
        Assert.Equal(AccessReportJsonWriter.Format(whole), AccessReportJsonWriter.Format(first.Build(ReportIntegrity.Unverified)));
    }

    [Fact]
    public void Writers_TheTotalOverCounterpartiesPastTheThreshold_IsNotMarkedCrossed()
    {
        // Two requesters in a country of concern reached 60 persons' genomes each: 120 in all, but 28 CFR 202.205 adds
        // up the accesses of the same foreign or covered person only, and neither reached more than 100.
        var report = Report(
            To(2022, 6, 30),
            Line("2022-01-01T00:00:00Z", requester: "cn-1", keys: Keys(0, 60)),
            Line("2022-01-01T00:00:00Z", requester: "cn-2", keys: Keys(100, 60)));
        Assert.Equal(120, Row(report, "human-genomic", null).DistinctPersons);
        Assert.False(Row(report, "human-genomic", "cn-1").Crossed);

        var markdown = Markdown(report);
        Assert.DoesNotContain("**crossed**", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("**2022-01-01**", markdown, StringComparison.Ordinal);
        Assert.Contains("the total over all counterparties is never marked crossed", markdown, StringComparison.Ordinal);

        using var html = new StringWriter();
        AccessReportHtmlWriter.Write(html, report);
        Assert.DoesNotContain("class=\"threshold crossed\"", html.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("<span class=\"badge bad\">2022-01-01</span>", html.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Writers_ShowTheSectionInEveryFormat()
    {
        var report = Report(
            To(2022, 6, 30),
            Line("2022-01-01T00:00:00Z", requester: "bd-1", organization: "ByteDance", type: "health-record", subjects: 12_000),
            Line("2022-01-01T00:00:00Z", requester: "cn-9", subjects: 40));

        var json = AccessReportJsonWriter.Format(report);
        Assert.Contains("\"bulkThresholds\": [", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"personal-health\"", json, StringComparison.Ordinal);
        Assert.Contains("\"counterpartyType\": \"organization\"", json, StringComparison.Ordinal);
        Assert.Contains("\"basis\": \"upper-bound\"", json, StringComparison.Ordinal);
        Assert.Contains("\"firstCrossed\": \"2022-01-01\"", json, StringComparison.Ordinal);
        Assert.Contains("\"fraction\": 1.2", json, StringComparison.Ordinal);

        var markdown = Markdown(report);
        Assert.Contains("## Bulk sensitive data: countries of concern and covered persons (28 CFR 202)", markdown, StringComparison.Ordinal);
        Assert.Contains("| personal-health (combined with covered-personal-identifiers) | ByteDance (organization) | 12,000 persons (upper bound: subject records) | > 10,000 |", markdown, StringComparison.Ordinal);
        Assert.Contains("**crossed**", markdown, StringComparison.Ordinal);

        using var html = new StringWriter();
        AccessReportHtmlWriter.Write(html, report);
        Assert.Contains("<section id=\"bulk-thresholds\">", html.ToString(), StringComparison.Ordinal);
        Assert.Contains("class=\"threshold crossed\"", html.ToString(), StringComparison.Ordinal);

        using var csv = new StringWriter();
        AccessReportCsvWriter.Write(csv, report, ReportTable.BulkThresholds);
        var rows = csv.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("kind,unit,counterparty,counterpartyType,windowStart,windowEnd,distinctPersons,basis", rows[0], StringComparison.Ordinal);
        Assert.Contains("personal-health,persons,ByteDance,organization,2021-07-01,2022-06-30,12000,upper-bound,0,10000,1.2,true,2022-01-01,covered-personal-identifiers,bd-1=12000", rows);
        Assert.Equal(report.BulkThresholds.Count + 1, rows.Length);
    }

    private static IEnumerable<string> Keys(int first, int count) =>
        Enumerable.Range(first, count).Select(i => $"hmac-{i:x8}");

    private static ReportPeriod To(int year, int month, int day) =>
        ReportPeriod.Create(new LocalDate(year, month, 1), new LocalDate(year, month, day), DateTimeZone.Utc);

    private static ReportPeriod Period(LocalDate from, LocalDate to, DateTimeZone zone) => ReportPeriod.Create(from, to, zone);

    private static AccessReport Report(ReportPeriod period, params string[] lines) =>
        EventLines.Report(new AccessReportOptions { Policy = Policy, Period = period }, lines);

    private static BulkThresholdRow Row(AccessReport report, string kind, string? counterparty) =>
        Assert.Single(report.BulkThresholds, r => r.Kind == kind && r.Counterparty?.Name == counterparty);

    private static string Markdown(AccessReport report)
    {
        using var writer = new StringWriter();
        AccessReportMarkdownWriter.Write(writer, report);
        return writer.ToString();
    }
}
