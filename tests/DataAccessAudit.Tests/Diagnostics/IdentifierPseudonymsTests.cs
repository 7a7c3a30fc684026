using System.Security.Cryptography;
using System.Text;
using DataAccessAudit.Diagnostics;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

namespace DataAccessAudit.Tests.Diagnostics;

public sealed class IdentifierPseudonymsTests
{
    [Fact]
    public void Of_SameKey_GivesTheSameTokenEveryTime()
    {
        var first = IdentifierPseudonyms.Create(TelemetryAccesses.RedactorProvider(TelemetryAccesses.Key), NullLogger.Instance);
        var second = IdentifierPseudonyms.Create(TelemetryAccesses.RedactorProvider(TelemetryAccesses.Key), NullLogger.Instance);

        var token = first.Of(TelemetryAccesses.RawRequesterId);

        Assert.NotNull(token);
        Assert.Equal(token, first.Of(TelemetryAccesses.RawRequesterId));
        Assert.Equal(token, second.Of(TelemetryAccesses.RawRequesterId));
        TelemetryAccesses.AssertNoRawId(token);
    }

    [Fact]
    public void Of_RequesterAndResource_GiveThePseudonymsOfTheirIdsEveryTime()
    {
        var pseudonyms = IdentifierPseudonyms.Create(TelemetryAccesses.RedactorProvider(TelemetryAccesses.Key), NullLogger.Instance);
        var requester = TelemetryAccesses.FromChina;
        var resource = TelemetryAccesses.ProtectedUsData;

        Assert.Equal(pseudonyms.Of(requester.Id), pseudonyms.Of(requester));
        Assert.Same(pseudonyms.Of(requester), pseudonyms.Of(requester));
        Assert.Equal(pseudonyms.Of(resource.Id), pseudonyms.Of(resource));
        Assert.Equal(pseudonyms.Of(requester), pseudonyms.Of(new DataAccessAudit.Events.Requester(requester.Id, requester.Region)));
    }

    [Fact]
    public void Of_NoKey_GivesNullForRequesterAndResource()
    {
        Assert.Null(IdentifierPseudonyms.None.Of(TelemetryAccesses.FromChina));
        Assert.Null(IdentifierPseudonyms.None.Of(TelemetryAccesses.ProtectedUsData));
    }

    [Fact]
    public void Of_AnotherKey_GivesAnotherToken()
    {
        var token = TelemetryAccesses.Pseudonym(TelemetryAccesses.RawRequesterId, TelemetryAccesses.Key);
        var other = TelemetryAccesses.Pseudonym(TelemetryAccesses.RawRequesterId, TelemetryAccesses.OtherKey);

        Assert.NotEqual(token, other);
    }

    [Fact]
    public void Of_DifferentIds_GivesDifferentTokens()
    {
        Assert.NotEqual(
            TelemetryAccesses.Pseudonym(TelemetryAccesses.RawRequesterId, TelemetryAccesses.Key),
            TelemetryAccesses.Pseudonym(TelemetryAccesses.RawResourceId, TelemetryAccesses.Key));
    }

    [Fact]
    public void Of_KeyId_PrefixesTheTokenSoRotatedKeysAreToldApart()
    {
        var pseudonyms = IdentifierPseudonyms.Create(TelemetryAccesses.RedactorProvider(TelemetryAccesses.Key, keyId: 7), NullLogger.Instance);

        Assert.StartsWith("7:", pseudonyms.Of(TelemetryAccesses.RawRequesterId), StringComparison.Ordinal);
    }

    [Fact]
    public void Of_Token_IsWhatAnAuditorHoldingTheKeyRecomputesAsDocumented()
    {
        // docs/telemetry.md, "Linking a pseudonym back": keyId ':' base64(first 16 bytes of HMAC-SHA256(key, UTF-16LE(id))).
        var hash = HMACSHA256.HashData(Convert.FromBase64String(TelemetryAccesses.Key), Encoding.Unicode.GetBytes(TelemetryAccesses.RawRequesterId));
        var expected = "1:" + Convert.ToBase64String(hash, 0, 16);

        Assert.Equal(expected, TelemetryAccesses.Pseudonym(TelemetryAccesses.RawRequesterId, TelemetryAccesses.Key));
    }

    [Fact]
    public void Create_NoRedactorProvider_LeavesIdsOutAndSaysSo()
    {
        var logs = new FakeLogCollector();

        var pseudonyms = IdentifierPseudonyms.Create(null, new FakeLogger(logs));

        Assert.False(pseudonyms.IsEnabled);
        Assert.Null(pseudonyms.Of(TelemetryAccesses.RawRequesterId));
        var record = Assert.Single(logs.GetSnapshot());
        Assert.Equal("IdentifiersOmitted", record.Id.Name);
        Assert.Equal(LogLevel.Information, record.Level);
    }

    [Fact]
    public void Create_ProviderWithoutRedactorForIdentifiers_LeavesIdsOut()
    {
        // AddRedaction's fallback for an unmapped classification erases.
        var provider = new ServiceCollection().AddRedaction().BuildServiceProvider().GetRequiredService<IRedactorProvider>();

        var pseudonyms = IdentifierPseudonyms.Create(provider, NullLogger.Instance);

        Assert.False(pseudonyms.IsEnabled);
        Assert.Null(pseudonyms.Of(TelemetryAccesses.RawRequesterId));
    }

    [Fact]
    public void Create_RedactorThatKeepsIdsInClearText_IsRefusedWithAWarning()
    {
        var provider = new ServiceCollection()
            .AddRedaction(redaction => redaction.SetFallbackRedactor<NullRedactor>())
            .BuildServiceProvider()
            .GetRequiredService<IRedactorProvider>();
        var logs = new FakeLogCollector();

        var pseudonyms = IdentifierPseudonyms.Create(provider, new FakeLogger(logs));

        Assert.False(pseudonyms.IsEnabled);
        Assert.Null(pseudonyms.Of(TelemetryAccesses.RawRequesterId));
        var record = Assert.Single(logs.GetSnapshot());
        Assert.Equal("RedactorKeepsIdentifiers", record.Id.Name);
        Assert.Equal(LogLevel.Warning, record.Level);
    }
}
