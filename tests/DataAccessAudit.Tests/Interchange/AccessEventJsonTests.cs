using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using NodaTime;

namespace DataAccessAudit.Tests.Interchange;

public sealed class AccessEventJsonTests
{
    private static AccessRecord FullRecord()
    {
        var time = Instant.FromUtc(2021, 9, 14, 7, 31, 2) + Duration.FromTicks(1234567);
        var accessEvent = new AccessEvent(
            "0190d3a2-7c1e-7b4e-9a55-3f0c2d9e1a01",
            time,
            new Requester("emp-4411", Region.Parse("CN")) { Organization = "ByteDance", Roles = ["master-admin", "engineer"] },
            new AccessedResource("user/8812/messages", Taxonomy.Protected, Region.Parse("US")) { Type = "direct-message", StoredIn = Region.Parse("SG") },
            "export")
        {
            Subjects = 4200,
            Purpose = "debugging",
            TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
            Approval = new Approval("USDS-77") { ApprovedBy = "usds", ValidFrom = time - Duration.FromDays(1), ValidUntil = time + Duration.FromHours(1) },
        };
        return new AccessRecord(accessEvent, AccessPolicy.ProjectTexas.Evaluate(accessEvent));
    }

    [Fact]
    public void Format_ThenParse_EveryFieldRoundTrips()
    {
        var original = FullRecord();

        var json = AccessEventJson.Format(original);
        var parsed = AccessEventJson.Parse(json);

        var a = original.Event;
        var b = parsed.Event;
        Assert.Equal(a.Id, b.Id);
        Assert.Equal(a.Time, b.Time);
        Assert.Equal(a.Requester.Id, b.Requester.Id);
        Assert.Equal(a.Requester.Region, b.Requester.Region);
        Assert.Equal(a.Requester.Organization, b.Requester.Organization);
        Assert.Equal(a.Requester.Roles, b.Requester.Roles);
        Assert.Equal(a.Resource.Id, b.Resource.Id);
        Assert.Equal(a.Resource.Type, b.Resource.Type);
        Assert.Equal(a.Resource.Category, b.Resource.Category);
        Assert.Equal(a.Resource.Region, b.Resource.Region);
        Assert.Equal(a.Resource.StoredIn, b.Resource.StoredIn);
        Assert.Equal(a.Subjects, b.Subjects);
        Assert.Equal(a.Action, b.Action);
        Assert.Equal(a.Purpose, b.Purpose);
        Assert.Equal(a.TraceId, b.TraceId);
        Assert.Equal(a.Approval!.Id, b.Approval!.Id);
        Assert.Equal(a.Approval.ApprovedBy, b.Approval.ApprovedBy);
        Assert.Equal(a.Approval.ValidFrom, b.Approval.ValidFrom);
        Assert.Equal(a.Approval.ValidUntil, b.Approval.ValidUntil);
        Assert.Equal(original.Decision, parsed.Decision);
        Assert.Equal(json, AccessEventJson.Format(parsed));
    }

    [Fact]
    public void Format_MinimalEvent_WritesCamelCaseRequiredFieldsOnly()
    {
        var record = AccessEventJson.Parse(EventLines.Minimal);

        var json = AccessEventJson.Format(record);

        Assert.Equal(EventLines.Minimal, json);
        Assert.Null(record.Decision);
        Assert.Equal(1, record.Event.Subjects);
        Assert.Empty(record.Event.Requester.Roles);
    }

    [Fact]
    public void Format_UnknownRequesterRegion_WritesZZ()
    {
        var record = AccessEventJson.Parse(EventLines.With(o => o["requester"]!["region"] = null));

        Assert.True(record.Event.Requester.Region.IsUnknown);
        Assert.Contains("\"region\":\"ZZ\"", AccessEventJson.Format(record), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteLine_Record_WritesOneUtf8LineEndingInNewline()
    {
        var buffer = new ArrayBufferWriter<byte>();

        AccessEventJson.WriteLine(buffer, FullRecord());
        AccessEventJson.WriteLine(buffer, AccessEventJson.Parse(EventLines.Minimal));

        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        var lines = text.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal(string.Empty, lines[2]);
        Assert.Equal(EventLines.Minimal, lines[1]);
        Assert.Equal(AccessEventJson.Format(FullRecord()).Length, lines[0].Length);
    }

    [Fact]
    public void Write_ToUtf8JsonWriter_WritesTheSameObjectAsFormat()
    {
        var record = AccessEventJson.Parse(EventLines.Minimal);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            AccessEventJson.Write(writer, record);
        }

        Assert.Equal(EventLines.Minimal, Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Parse_UnknownFieldsAndLowerCaseRegions_AreAcceptedAndNormalised()
    {
        var record = AccessEventJson.Parse(EventLines.With(o =>
        {
            o["vendorField"] = new JsonObject { ["x"] = 1 };
            o["requester"]!["region"] = "cn";
            o["resource"]!["region"] = "us";
            o["resource"]!["storedIn"] = "sg";
        }));

        Assert.Equal("CN", record.Event.Requester.Region.Code);
        Assert.Equal("US", record.Event.Resource.Region.Code);
        Assert.Equal("SG", record.Event.Resource.StoredIn?.Code);
    }

    [Theory]
    [InlineData("2021-09-14T07:31:02Z", 0)]
    [InlineData("2021-09-14T07:31:02.123456Z", 1234560)]
    [InlineData("2021-09-14T07:31:02.1234567Z", 1234567)]
    public void Parse_TimeWithOrWithoutFraction_IsThatInstant(string time, long ticks)
    {
        var record = AccessEventJson.Parse(EventLines.With(o => o["time"] = time));

        Assert.Equal(Instant.FromUtc(2021, 9, 14, 7, 31, 2) + Duration.FromTicks(ticks), record.Event.Time);
    }

    [Fact]
    public void Parse_DecisionWithForeignFinding_KeepsIt()
    {
        var record = AccessEventJson.Parse(EventLines.With(o => o["decision"] = JsonNode.Parse(
            """{"outcome":"flagged","crossBorder":true,"findings":["cross-border-protected-access","siem-rule-12"],"policy":"other/3"}""")));

        var decision = record.Decision!.Value;
        Assert.Equal(AccessOutcome.Flagged, decision.Outcome);
        Assert.True(decision.CrossBorder);
        Assert.Equal("other/3", decision.Policy);
        Assert.True(decision.Findings.Contains(new Finding("siem-rule-12")));
        Assert.Equal(2, decision.Findings.Count);
    }

    public static TheoryData<string> BadTimes() =>
    [
        "0000-01-01T00:00:00Z",
        "-0001-01-01T00:00:00Z",
        "10000-01-01T00:00:00Z",
        "2021-09-14T24:00:00Z",
        "2021-09-14T23:59:60Z",
        "2021-09-14T07:31:02,5Z",
        "2021-09-14T07:31:02.Z",
        "2021-09-14T07:31:02.1234567891Z",
        "2021-02-29T07:31:02Z",
        "2021-09-14T07:31:02z",
        "2021-09-14t07:31:02Z",
        "2021-09-14T07:31Z",
        "2021-09-14T07:31:02+00:00",
        "2021-09-14T07:31:02.5+00:00",
        "\uFF12021-09-14T07:31:02Z",
    ];

    [Theory]
    [MemberData(nameof(BadTimes))]
    public void TryParse_TimeOutsideTheGrammar_IsAProblemNamingTheValue(string time)
    {
        Assert.False(AccessEventJson.TryParse(Encoding.UTF8.GetBytes(EventLines.With(o => o["time"] = time)), out _, out var error));
        Assert.StartsWith($"field 'time' is \"{time}\": expected an ISO-8601 instant in UTC ending in Z", error, StringComparison.Ordinal);
        Assert.False(AccessEventJson.TryParse(Encoding.UTF8.GetBytes(EventLines.With(o => o["approval"] = new JsonObject { ["id"] = "a", ["validUntil"] = time })), out _, out error));
        Assert.StartsWith("field 'approval.validUntil'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z", 1, 1, 1, 0, 0, 0, 0L)]
    [InlineData("9999-12-31T23:59:59.999999999Z", 9999, 12, 31, 23, 59, 59, 999_999_999L)]
    [InlineData("2020-02-29T12:00:00.1Z", 2020, 2, 29, 12, 0, 0, 100_000_000L)]
    [InlineData("2021-09-14T07:31:02.000000001Z", 2021, 9, 14, 7, 31, 2, 1L)]
    public void Parse_TimeAtTheEdgesOfTheGrammar_IsThatInstantAndWritesBack(string time, int year, int month, int day, int hour, int minute, int second, long nanoseconds)
    {
        var record = AccessEventJson.Parse(EventLines.With(o => o["time"] = time));

        Assert.Equal(Instant.FromUtc(year, month, day, hour, minute, second).PlusNanoseconds(nanoseconds), record.Event.Time);
        Assert.Contains($"\"time\":\"{time}\"", AccessEventJson.Format(record), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SubjectKeysWithoutSubjects_SubjectsIsTheirCount()
    {
        var record = AccessEventJson.Parse(EventLines.With(o => o["subjectKeys"] = new JsonArray("hmac:a", "hmac:b", "hmac:a")));

        Assert.Equal(["hmac:a", "hmac:b", "hmac:a"], record.Event.SubjectKeys);
        Assert.Equal(3, record.Event.Subjects);
        var json = AccessEventJson.Format(record);
        Assert.Contains("\"subjectKeys\":[\"hmac:a\",\"hmac:b\",\"hmac:a\"],\"action\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"subjects\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SubjectKeysAndSubjects_KeepsBoth()
    {
        var record = AccessEventJson.Parse(EventLines.With(o =>
        {
            o["subjects"] = 9007199254740991L;
            o["subjectKeys"] = new JsonArray("hmac:a");
        }));

        Assert.Equal(AccessEvent.MaxSubjects, record.Event.Subjects);
        Assert.Equal(["hmac:a"], record.Event.SubjectKeys);
        Assert.Contains("\"subjects\":9007199254740991,\"subjectKeys\":[\"hmac:a\"]", AccessEventJson.Format(record), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NullSubjectKeys_IsNoKeys()
    {
        var record = AccessEventJson.Parse(EventLines.With(o => o["subjectKeys"] = null));

        Assert.Empty(record.Event.SubjectKeys);
        Assert.Equal(1, record.Event.Subjects);
    }

    [Fact]
    public void Parse_PresentNullRequesterRegion_IsUnknownButAbsentIsAProblem()
    {
        Assert.True(AccessEventJson.Parse(EventLines.With(o => o["requester"]!["region"] = null)).Event.Requester.Region.IsUnknown);
        Assert.True(AccessEventJson.Parse(EventLines.With(o => o["requester"]!["region"] = "zz")).Event.Requester.Region.IsUnknown);
        Assert.False(AccessEventJson.TryParse(Encoding.UTF8.GetBytes(EventLines.With(o => o["requester"]!.AsObject().Remove("region"))), out _, out _));
    }

    [Fact]
    public void Parse_UnknownFieldNestedFarDeeperThanTheSerializerDefault_IsIgnored()
    {
        const int Depth = 10_000;
        var deep = new string('[', Depth) + new string(']', Depth);
        var line = EventLines.Minimal[..^1] + ",\"vendor\":{\"nested\":" + deep + "}}";

        var record = AccessEventJson.Parse(line);

        Assert.Equal("e-1", record.Event.Id);
    }

    [Fact]
    public void TryParse_InvalidUtf8_IsAProblem()
    {
        var line = Encoding.UTF8.GetBytes(EventLines.Minimal[..^1] + ",\"purpose\":\"x\u00E9x\"}");
        line[Array.IndexOf(line, (byte)0xC3)] = 0xFF;

        Assert.False(AccessEventJson.TryParse(line, out _, out var error));
        Assert.Equal("not valid UTF-8", error);
    }

    [Fact]
    public void TryParse_KnownFieldOfAnyWrongType_NamesTheFieldAndNeverADotNetType()
    {
        foreach (var field in new[] { "id", "time", "requester", "resource", "subjects", "subjectKeys", "action", "purpose", "approval", "traceId", "decision" })
        {
            foreach (var value in new JsonNode?[] { 5, "s", true, new JsonArray(1), new JsonObject { ["a"] = 1 } })
            {
                var line = EventLines.With(o => o[field] = value?.DeepClone());
                if (AccessEventJson.TryParse(Encoding.UTF8.GetBytes(line), out _, out var error))
                {
                    continue;
                }

                Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
                Assert.DoesNotContain("Int64", error, StringComparison.Ordinal);
                Assert.DoesNotContain("String", error, StringComparison.Ordinal);
                Assert.Contains($"'{field}", error, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("{\"schema\":\"access-event/1\",}", "not valid JSON: The JSON object contains a trailing comma at the end which is not supported in this mode. (at byte 28)")]
    [InlineData("{\"schema\":\"access-event/1\"", "not valid JSON: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. (at byte 27)")]
    [InlineData("{\"id\":tru}", "not valid JSON: 'tru}' is an invalid JSON literal. Expected the literal 'true'. (at byte 10)")]
    public void TryParse_NotJson_SaysWhatTheReaderFoundAndAtWhichByte_WithoutItsAdviceToProgrammers(string line, string expected)
    {
        Assert.False(AccessEventJson.TryParse(Encoding.UTF8.GetBytes(line), out _, out var error));

        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_EscapedSurrogateWithoutItsPair_SaysSo_NotThatTheTypeIsWrong()
    {
        var line = EventLines.With(o => o["id"] = "placeholder").Replace("placeholder", "emp-\\ud800", StringComparison.Ordinal);
        var paired = EventLines.With(o => o["id"] = "placeholder").Replace("placeholder", "emp-\\ud83d\\ude00", StringComparison.Ordinal);
        var wrongTypeFirst = EventLines.With(o =>
        {
            o.Remove("purpose");
            o["subjects"] = "two";
            o["purpose"] = "placeholder";
        }).Replace("placeholder", "\\udc00", StringComparison.Ordinal);

        Assert.False(AccessEventJson.TryParse(Encoding.UTF8.GetBytes(line), out _, out var error));
        Assert.Equal("field 'id' holds an escaped UTF-16 surrogate without its pair (\\uD800 to \\uDFFF alone): expected Unicode text", error);
        Assert.True(AccessEventJson.TryParse(Encoding.UTF8.GetBytes(paired), out var record, out _));
        Assert.Equal("emp-\U0001F600", record.Event.Id);
        Assert.False(AccessEventJson.TryParse(Encoding.UTF8.GetBytes(wrongTypeFirst), out _, out var typeError));
        Assert.StartsWith("field 'subjects' has the wrong JSON type", typeError, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadLines() => new()
    {
        { "{", "not valid JSON" },
        { "null", "expected a JSON object, found null" },
        { EventLines.With(o => o.Remove("schema")), "missing required field 'schema'" },
        { EventLines.With(o => o["schema"] = "access-event/2"), "field 'schema' is \"access-event/2\"; expected \"access-event/1\"" },
        { EventLines.With(o => o.Remove("id")), "missing required field 'id'" },
        { EventLines.With(o => o["id"] = string.Empty), "missing required field 'id'" },
        { EventLines.With(o => o.Remove("time")), "missing required field 'time'" },
        { EventLines.With(o => o["time"] = "yesterday"), "field 'time' is \"yesterday\": expected an ISO-8601 instant in UTC" },
        { EventLines.With(o => o["time"] = "2021-09-14T09:31:02+02:00"), "field 'time' is \"2021-09-14T09:31:02+02:00\"" },
        { EventLines.With(o => o["time"] = "2021-09-14T07:31:02"), "field 'time' is \"2021-09-14T07:31:02\"" },
        { EventLines.With(o => o.Remove("requester")), "missing required field 'requester'" },
        { EventLines.With(o => o["requester"]!.AsObject().Remove("id")), "missing required field 'requester.id'" },
        { EventLines.With(o => o["requester"]!["region"] = "UK"), "field 'requester.region' is \"UK\": expected an ISO 3166-1 alpha-2 code" },
        { EventLines.With(o => o["requester"]!["region"] = "USA"), "field 'requester.region' is \"USA\"" },
        { EventLines.With(o => o.Remove("resource")), "missing required field 'resource'" },
        { EventLines.With(o => o["resource"]!.AsObject().Remove("id")), "missing required field 'resource.id'" },
        { EventLines.With(o => o["resource"]!.AsObject().Remove("category")), "missing required field 'resource.category'" },
        { EventLines.With(o => o["resource"]!["category"] = " "), "missing required field 'resource.category'" },
        { EventLines.With(o => o["resource"]!.AsObject().Remove("region")), "missing required field 'resource.region'" },
        { EventLines.With(o => o["resource"]!["region"] = "XX"), "field 'resource.region' is \"XX\": expected an ISO 3166-1 alpha-2 code" },
        { EventLines.With(o => o["resource"]!["storedIn"] = "U5"), "field 'resource.storedIn' is \"U5\": expected an ISO 3166-1 alpha-2 code" },
        { EventLines.With(o => o["subjects"] = 0), "field 'subjects' is 0: expected an integer from 1 to 2^53-1" },
        { EventLines.With(o => o["subjects"] = 9007199254740992L), "field 'subjects' is 9007199254740992: expected an integer from 1 to 2^53-1" },
        { EventLines.With(o => o["subjects"] = "two"), "field 'subjects' has the wrong JSON type: expected an integer from 1 to 2^53-1" },
        { EventLines.With(o => o["subjects"] = 1.5), "field 'subjects' has the wrong JSON type: expected an integer from 1 to 2^53-1" },
        { EventLines.With(o => o["subjects"] = JsonNode.Parse("1e400")), "field 'subjects' has the wrong JSON type: expected an integer from 1 to 2^53-1" },
        { EventLines.With(o => o["subjectKeys"] = new JsonArray()), "field 'subjectKeys' is empty: expected an array of non-empty strings" },
        { EventLines.With(o => o["subjectKeys"] = new JsonArray("k", "")), "field 'subjectKeys[1]' is empty: expected an array of non-empty strings" },
        { EventLines.With(o => o["subjectKeys"] = new JsonArray("k", null)), "field 'subjectKeys[1]' is null: expected an array of non-empty strings" },
        { EventLines.With(o => o["subjectKeys"] = new JsonArray("k", 3)), "field 'subjectKeys' has the wrong JSON type: expected an array of non-empty strings" },
        { EventLines.With(o => o["subjectKeys"] = "k"), "field 'subjectKeys' has the wrong JSON type: expected an array of non-empty strings" },
        { EventLines.With(o => o["requester"]!.AsObject().Remove("region")), "missing required field 'requester.region' (expected an ISO 3166-1 alpha-2 code, or \"ZZ\" or null for unknown)" },
        { EventLines.With(o => o["requester"]!["region"] = 44), "field 'requester.region' has the wrong JSON type: expected a string holding an ISO 3166-1 alpha-2 code, or null for unknown" },
        { EventLines.With(o => o["requester"]!["roles"] = "admin"), "field 'requester.roles' has the wrong JSON type: expected an array of strings" },
        { EventLines.With(o => o["requester"]!["roles"] = new JsonArray("admin", null)), "field 'requester.roles' holds null: expected an array of strings" },
        { EventLines.With(o => o["requester"] = new JsonArray()), "field 'requester' has the wrong JSON type: expected an object" },
        { EventLines.With(o => o["resource"]!["region"] = "ZZ"), "field 'resource.region' is \"ZZ\": the home of the data must be known; expected an ISO 3166-1 alpha-2 code other than ZZ" },
        { EventLines.With(o => o["resource"]!["region"] = "zz"), "field 'resource.region' is \"zz\": the home of the data must be known" },
        { EventLines.With(o => o["resource"]!["category"] = 3), "field 'resource.category' has the wrong JSON type: expected a non-empty string" },
        { EventLines.With(o => o["id"] = 12), "field 'id' has the wrong JSON type: expected a non-empty string" },
        { EventLines.With(o => o["time"] = 1631604662), "field 'time' has the wrong JSON type: expected a string holding an instant such as 2021-09-14T07:31:02Z" },
        { EventLines.With(o => o["action"] = true), "field 'action' has the wrong JSON type: expected a non-empty string" },
        { EventLines.With(o => o["approval"] = "USDS-1"), "field 'approval' has the wrong JSON type: expected an object" },
        { EventLines.With(o => o["decision"] = JsonNode.Parse("""{"outcome":"allowed","policy":5}""")), "field 'decision.policy' has the wrong JSON type: expected a string" },
        { EventLines.With(o => o["decision"] = JsonNode.Parse("""{"outcome":"allowed","crossBorder":"yes"}""")), "field 'decision.crossBorder' has the wrong JSON type: expected true or false" },
        { "[1,2]", "expected a JSON object" },
        { EventLines.With(o => o.Remove("action")), "missing required field 'action'" },
        { EventLines.With(o => o["approval"] = new JsonObject { ["approvedBy"] = "usds" }), "missing required field 'approval.id'" },
        { EventLines.With(o => o["approval"] = new JsonObject { ["id"] = "a", ["validFrom"] = "soon" }), "field 'approval.validFrom' is \"soon\"" },
        { EventLines.With(o => o["approval"] = new JsonObject { ["id"] = "a", ["validUntil"] = "2021-13-01T00:00:00Z" }), "field 'approval.validUntil' is \"2021-13-01T00:00:00Z\"" },
        { EventLines.With(o => o["decision"] = new JsonObject { ["crossBorder"] = true }), "field 'decision.outcome' is missing: expected allowed, approved, flagged or denied" },
        { EventLines.With(o => o["decision"] = new JsonObject { ["outcome"] = "blocked" }), "field 'decision.outcome' is \"blocked\"" },
        { EventLines.With(o => o["decision"] = JsonNode.Parse("""{"outcome":"allowed","findings":[""]}""")), "field 'decision.findings' holds an empty name" },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public void TryParse_BadLine_FailsWithMessageNamingFieldAndValue(string line, string expected)
    {
        Assert.False(AccessEventJson.TryParse(Encoding.UTF8.GetBytes(line), out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);

        var exception = Assert.Throws<FormatException>(() => AccessEventJson.Parse(line));
        Assert.Equal(error, exception.Message);
    }

    [Fact]
    public void Parse_NullString_Throws() =>
        Assert.Throws<ArgumentNullException>(() => AccessEventJson.Parse((string)null!));
}
