using System.Runtime.CompilerServices;
using DataAccessAudit.Events;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.Logging;

namespace DataAccessAudit.Diagnostics;

/// <summary>
/// Turns requester and resource ids into the pseudonyms telemetry may carry, or into nothing.
/// </summary>
/// <remarks>
/// <para>
/// The core only knows the redaction abstractions: the app (or <c>DataAccessAudit.OpenTelemetry</c>'s
/// <c>PseudonymizeIdentifiers</c>) registers a keyed HMAC redactor for
/// <see cref="AuditTelemetry.IdentifierClassification"/>, so the same id always maps to the same token and an auditor
/// holding the key can link it back.
/// </para>
/// <para>
/// Without one, ids are left out entirely rather than hashed without a key: an unkeyed hash of an employee number is
/// reversed by hashing every employee number. The provider's fallback for an unmapped classification is checked with
/// a probe at start-up: one that erases (the default) means "not configured", and one that hands the value back
/// unchanged or embeds it (a <c>NullRedactor</c> fallback) is refused, because it would put ids in clear text.
/// </para>
/// </remarks>
internal sealed class IdentifierPseudonyms
{
    private const string Probe = "data-access-audit/identifier-probe";

    private static readonly string ClassificationName = AuditTelemetry.IdentifierClassification.ToString();

    private readonly Redactor? _redactor;

    // An HMAC costs microseconds; requesters (and often resources) are built once per principal and reused, so the
    // pseudonym is kept beside the instance for as long as the app keeps it, and no longer.
    private readonly ConditionalWeakTable<Requester, string> _requesters = new();
    private readonly ConditionalWeakTable<AccessedResource, string> _resources = new();
    private readonly ConditionalWeakTable<Requester, string>.CreateValueCallback _pseudonymiseRequester;
    private readonly ConditionalWeakTable<AccessedResource, string>.CreateValueCallback _pseudonymiseResource;

    private IdentifierPseudonyms(Redactor? redactor)
    {
        _redactor = redactor;
        _pseudonymiseRequester = requester => _redactor!.Redact(requester.Id);
        _pseudonymiseResource = resource => _redactor!.Redact(resource.Id);
    }

    /// <summary>Gets pseudonyms that leave every id out.</summary>
    public static IdentifierPseudonyms None { get; } = new(null);

    /// <summary>Gets a value indicating whether ids appear in telemetry as pseudonyms.</summary>
    public bool IsEnabled => _redactor is not null;

    /// <summary>Picks the redactor for <see cref="AuditTelemetry.IdentifierClassification"/>, if it pseudonymises.</summary>
    /// <param name="provider">The app's redactor provider, if any.</param>
    /// <param name="logger">Where to say that ids are left out, and why.</param>
    /// <returns>The pseudonyms.</returns>
    public static IdentifierPseudonyms Create(IRedactorProvider? provider, ILogger logger)
    {
        if (provider is null)
        {
            TelemetryMessages.IdentifiersOmitted(logger, ClassificationName);
            return None;
        }

        var redactor = provider.GetRedactor(new DataClassificationSet(AuditTelemetry.IdentifierClassification));
        var probe = redactor.Redact(Probe);
        if (probe.Length == 0)
        {
            TelemetryMessages.IdentifiersOmitted(logger, ClassificationName);
            return None;
        }

        if (probe.Contains(Probe, StringComparison.Ordinal))
        {
            TelemetryMessages.RedactorKeepsIdentifiers(logger, ClassificationName, redactor.GetType().Name);
            return None;
        }

        return new IdentifierPseudonyms(redactor);
    }

    /// <summary>Returns the pseudonym of an id, or null when ids are left out.</summary>
    /// <param name="id">The requester's or resource's id.</param>
    /// <returns>The pseudonym, or null.</returns>
    public string? Of(string id) => _redactor?.Redact(id);

    /// <summary>Returns the pseudonym of a requester's id, or null when ids are left out.</summary>
    /// <param name="requester">The requester.</param>
    /// <returns>The pseudonym, or null.</returns>
    public string? Of(Requester requester) => _redactor is null ? null : _requesters.GetValue(requester, _pseudonymiseRequester);

    /// <summary>Returns the pseudonym of a resource's id, or null when ids are left out.</summary>
    /// <param name="resource">The resource.</param>
    /// <returns>The pseudonym, or null.</returns>
    public string? Of(AccessedResource resource) => _redactor is null ? null : _resources.GetValue(resource, _pseudonymiseResource);
}
