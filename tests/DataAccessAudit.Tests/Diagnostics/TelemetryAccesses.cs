using DataAccessAudit.Classification;
using DataAccessAudit.Diagnostics;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace DataAccessAudit.Tests.Diagnostics;

/// <summary>Accesses and keys the telemetry tests share; the ids hold hyphens, which base64 pseudonyms never do.</summary>
internal static class TelemetryAccesses
{
    public const string RawRequesterId = "emp-raw-requester-4411";
    public const string RawResourceId = "user/raw-resource-8812/messages";

    public static readonly Instant Time = Instant.FromUtc(2021, 9, 14, 7, 31, 2);

    public static string Key { get; } = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public static string OtherKey { get; } = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());

    public static Requester FromChina { get; } = new(RawRequesterId, Region.Parse("CN"));

    public static Requester FromUnitedStates { get; } = new(RawRequesterId, Region.Parse("US"));

    public static AccessedResource ProtectedUsData { get; } = new(RawResourceId, Taxonomy.Protected, Region.Parse("US"));

    /// <summary>A protected US record read from China: flagged in audit mode, denied in enforce mode.</summary>
    public static AccessEvent CrossBorder() => new("0190d3a2-7c1e-7b4e-9a55-3f0c2d9e1a01", Time, FromChina, ProtectedUsData, "read");

    /// <summary>A protected US record read from the US: allowed.</summary>
    public static AccessEvent Domestic() => new("0190d3a2-7c1e-7b4e-9a55-3f0c2d9e1a02", Time, FromUnitedStates, ProtectedUsData, "read");

    /// <summary>Everything an exported attribute or log field must never contain.</summary>
    public static IReadOnlyList<string> Forbidden { get; } = [RawRequesterId, RawResourceId, "raw-requester", "raw-resource"];

    public static void AssertNoRawId(string? text)
    {
        foreach (var forbidden in Forbidden)
        {
            Assert.DoesNotContain(forbidden, text ?? string.Empty, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// A keyed HMAC redactor for <see cref="AuditTelemetry.IdentifierClassification"/>, registered as the
    /// OpenTelemetry package's <c>PseudonymizeIdentifiers</c> registers it: the core only sees the provider.
    /// </summary>
    public static IRedactorProvider RedactorProvider(string key, int keyId = 1) =>
        new ServiceCollection()
#pragma warning disable EXTEXP0002 // the HMAC redactor is marked experimental by dotnet/extensions
            .AddRedaction(redaction => redaction.SetHmacRedactor(
                options =>
                {
                    options.KeyId = keyId;
                    options.Key = key;
                },
                new DataClassificationSet(AuditTelemetry.IdentifierClassification)))
#pragma warning restore EXTEXP0002
            .BuildServiceProvider()
            .GetRequiredService<IRedactorProvider>();

    public static AccessDecision Decide(AccessEvent accessEvent, PolicyMode mode = PolicyMode.Audit) =>
        AccessPolicy.ProjectTexas.WithMode(mode).Evaluate(accessEvent);

    public static string Pseudonym(string id, string key) =>
        IdentifierPseudonyms.Create(RedactorProvider(key), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).Of(id)!;
}
