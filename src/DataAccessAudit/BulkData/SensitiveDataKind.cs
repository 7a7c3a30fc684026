namespace DataAccessAudit.BulkData;

/// <summary>
/// A kind of sensitive personal data with its bulk threshold: the number of distinct persons (or devices) that a
/// counterparty may reach over the preceding 12 months before the data counts as <em>bulk</em>.
/// </summary>
/// <remarks>
/// The rule's thresholds say "more than": <see cref="Threshold"/> 1,000 is crossed at 1,001 (<see cref="IsCrossedBy"/>).
/// A threshold of zero means "any amount", as for government-related data (28 CFR 202.222): crossed by one person.
/// The presets are the categories of 28 CFR 202.205 (a) to (f) and government-related data.
/// </remarks>
public sealed class SensitiveDataKind
{
    /// <summary>Creates a kind.</summary>
    /// <param name="name">The name reports and policies use, such as <c>personal-health</c>.</param>
    /// <param name="threshold">The largest count that is not bulk: crossed when more are reached; zero for any amount.</param>
    /// <param name="unit">Whether persons or devices are counted.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is negative, or <paramref name="unit"/> is not defined.</exception>
    public SensitiveDataKind(string name, long threshold, BulkCountUnit unit = BulkCountUnit.Persons)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        if (!Enum.IsDefined(unit))
        {
            throw new ArgumentOutOfRangeException(nameof(unit), unit, "Expected persons or devices.");
        }

        Name = name;
        Threshold = threshold;
        Unit = unit;
    }

    /// <summary>
    /// Gets human genomic data: more than 100 U.S. persons (28 CFR 202.205(a)). It is part of <see cref="HumanOmic"/>:
    /// genomic data is human 'omic data (28 CFR 202.224(a)(1)), so its persons count toward the 1,000 of 'omic data too.
    /// </summary>
    public static SensitiveDataKind HumanGenomic { get; } = new("human-genomic", 100) { PartOf = "human-omic" };

    /// <summary>
    /// Gets human 'omic data (genomic, epigenomic, proteomic, transcriptomic; 28 CFR 202.224): more than 1,000 U.S. persons
    /// (28 CFR 202.205(a)), genomic data included through <see cref="HumanGenomic"/>.
    /// </summary>
    public static SensitiveDataKind HumanOmic { get; } = new("human-omic", 1_000);

    /// <summary>Gets biometric identifiers: more than 1,000 U.S. persons (28 CFR 202.205(b)).</summary>
    public static SensitiveDataKind BiometricIdentifiers { get; } = new("biometric-identifiers", 1_000);

    /// <summary>Gets precise geolocation data: more than 1,000 U.S. devices (28 CFR 202.205(c)).</summary>
    public static SensitiveDataKind PreciseGeolocation { get; } = new("precise-geolocation", 1_000, BulkCountUnit.Devices);

    /// <summary>Gets personal health data: more than 10,000 U.S. persons (28 CFR 202.205(d)).</summary>
    public static SensitiveDataKind PersonalHealth { get; } = new("personal-health", 10_000);

    /// <summary>Gets personal financial data: more than 10,000 U.S. persons (28 CFR 202.205(e)).</summary>
    public static SensitiveDataKind PersonalFinancial { get; } = new("personal-financial", 10_000);

    /// <summary>Gets covered personal identifiers: more than 100,000 U.S. persons (28 CFR 202.205(f)).</summary>
    public static SensitiveDataKind CoveredPersonalIdentifiers { get; } = new("covered-personal-identifiers", 100_000);

    /// <summary>Gets government-related data, which counts at any amount (28 CFR 202.222): threshold zero.</summary>
    public static SensitiveDataKind GovernmentRelated { get; } = new("government-related", 0);

    /// <summary>Gets the name, such as <c>personal-health</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the largest count that is not bulk; zero for any amount.</summary>
    public long Threshold { get; }

    /// <summary>Gets whether persons or devices are counted.</summary>
    public BulkCountUnit Unit { get; }

    /// <summary>
    /// Gets the name of a broader kind of the same policy that this kind is part of, or null: an access counted toward
    /// this kind counts toward that one too. Human genomic data is human 'omic data (28 CFR 202.224(a)(1)), so a genome
    /// read counts toward both thresholds of 28 CFR 202.205(a); kinds linked this way are one category of data, so data
    /// of both is not combined data (28 CFR 202.205(g)) and lowers neither threshold.
    /// </summary>
    /// <exception cref="ArgumentException">The value set is empty or white space.</exception>
    public string? PartOf
    {
        get;
        init
        {
            if (value is not null)
            {
                ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(PartOf));
            }

            field = value;
        }
    }

    /// <summary>Tells whether a count crosses the threshold: more than <see cref="Threshold"/>.</summary>
    /// <param name="count">Distinct persons or devices.</param>
    /// <returns>True when <paramref name="count"/> exceeds the threshold.</returns>
    public bool IsCrossedBy(long count) => BulkThreshold.IsCrossed(count, Threshold);

    /// <summary>Returns the name and threshold.</summary>
    /// <returns>Such as <c>personal-health (&gt; 10000 persons)</c>.</returns>
    public override string ToString() => $"{Name} (> {Threshold} {(Unit == BulkCountUnit.Devices ? "devices" : "persons")})";
}
