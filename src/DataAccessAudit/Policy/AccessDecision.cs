using System.Diagnostics.CodeAnalysis;

namespace DataAccessAudit.Policy;

/// <summary>
/// What a policy decided about one access: the outcome, whether it crossed a border, and the findings.
/// </summary>
/// <remarks>A small value: evaluating a policy returns one without allocating.</remarks>
public readonly struct AccessDecision : IEquatable<AccessDecision>
{
    /// <summary>Creates a decision.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <param name="crossBorder">Whether the access crossed a border (an unknown requester region counts as crossing).</param>
    /// <param name="findings">The findings.</param>
    /// <param name="policy">The name/version of the policy that decided, such as <c>project-texas/1</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outcome"/> is not defined.</exception>
    public AccessDecision(AccessOutcome outcome, bool crossBorder, FindingSet findings, string? policy)
    {
        if ((uint)outcome > (uint)AccessOutcome.Denied)
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Expected allowed, approved, flagged or denied.");
        }

        Outcome = outcome;
        CrossBorder = crossBorder;
        Findings = findings;
        Policy = policy;
    }

    /// <summary>Gets the outcome.</summary>
    public AccessOutcome Outcome { get; }

    /// <summary>Gets a value indicating whether the access crossed a border.</summary>
    public bool CrossBorder { get; }

    /// <summary>Gets the findings.</summary>
    public FindingSet Findings { get; }

    /// <summary>Gets the name/version of the policy that decided, if known.</summary>
    public string? Policy { get; }

    /// <summary>Gets a value indicating whether the app must refuse the access.</summary>
    public bool IsDenied => Outcome == AccessOutcome.Denied;

    /// <inheritdoc/>
    public bool Equals(AccessDecision other) =>
        Outcome == other.Outcome && CrossBorder == other.CrossBorder && Findings.Equals(other.Findings) &&
        string.Equals(Policy, other.Policy, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is AccessDecision other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Outcome, CrossBorder, Findings);

    /// <summary>Returns the outcome, border and findings.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() =>
        $"{Outcome}{(CrossBorder ? " cross-border" : string.Empty)}{(Findings.IsEmpty ? string.Empty : $" [{Findings}]")}";

    /// <summary>Compares two decisions.</summary>
    /// <param name="left">The first decision.</param>
    /// <param name="right">The second decision.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(AccessDecision left, AccessDecision right) => left.Equals(right);

    /// <summary>Compares two decisions.</summary>
    /// <param name="left">The first decision.</param>
    /// <param name="right">The second decision.</param>
    /// <returns>True when they differ.</returns>
    public static bool operator !=(AccessDecision left, AccessDecision right) => !left.Equals(right);
}
