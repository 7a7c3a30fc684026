using DataAccessAudit.Policy;

namespace DataAccessAudit.Reporting.Formats;

/// <summary>
/// What a built-in finding means, why it matters and what to check, in plain words: the one table every human format
/// shows beside the findings a report lists, so that a compliance officer reads the same explanation everywhere.
/// </summary>
/// <param name="Meaning">What happened, in one sentence.</param>
/// <param name="WhyItMatters">Why a reader of the report should care.</param>
/// <param name="WhatToCheck">What to look at next.</param>
internal sealed record FindingExplanation(string Meaning, string WhyItMatters, string WhatToCheck)
{
    private static readonly Dictionary<string, FindingExplanation> BuiltIn = new(StringComparer.Ordinal)
    {
        [Finding.CrossBorderProtectedAccess.Name] = new(
            "Protected data was read from outside its home jurisdiction without a valid approval.",
            "This is the access a residency promise such as Project Texas rules out: protected data seen from abroad.",
            "Who the requester is and why they needed the data; whether an approval was due; whether their role should reach it at all."),
        [Finding.UnknownRequesterRegion.Name] = new(
            "The requester's region was not known, so the access was treated as crossing a border (fail closed).",
            "An unknown location is how access from abroad goes unseen.",
            "Where the app takes the requester's region from (a claim, a gateway header, an IP database) for this account."),
        [Finding.CountryOfConcernAccess.Name] = new(
            "The requester was in a country of concern (the policy's list: by default China with Hong Kong and Macau, Russia, Iran, North Korea, Cuba and Venezuela).",
            "Access from these countries is what regulators single out, and what the US bulk-data rule (28 CFR 202) counts.",
            "Whether an approval covered it, which data and how many people's, and whether the account should have this access."),
        [Finding.StoredOutsideHomeJurisdiction.Name] = new(
            "Protected data was served from storage outside its home jurisdiction, such as a backup region abroad.",
            "A residency promise covers where data is kept, not only who reads it.",
            "Which storage region served it, and whether a copy of the data should exist there."),
        [Finding.UnknownDataCategory.Name] = new(
            "The event names a data category the policy's taxonomy lacks; it was treated as protected (fail closed).",
            "A misspelt or new category would otherwise let data slip through unchecked.",
            "Add the category to the policy's taxonomy, or correct the name where the access is recorded."),
    };

    /// <summary>Finds the explanation of a built-in finding; a policy's own findings have none.</summary>
    public static bool TryGet(string finding, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FindingExplanation? explanation) =>
        BuiltIn.TryGetValue(finding, out explanation);
}
