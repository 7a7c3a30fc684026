using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Recording;
using DataAccessAudit.Regions;
using NodaTime;

namespace DataAccessAudit.ReportGenerator.Demo;

/// <summary>
/// Simulates the Project Texas story, September 2021 to June 2022, through the real auditor: US staff at home,
/// Beijing engineers reading protected US data (some under approvals from US Data Security, some used after they
/// expired), one master-admin account reaching every kind of protected data, Singapore operations and backups
/// served from Singapore data centres, Irish trust-and-safety staff, public data read from abroad, and a few accesses
/// whose region nobody recorded. The clock is a <see cref="StoryClock"/> moved forward before each access, so the
/// auditor stamps each event with simulated time. Deterministic for a seed.
/// </summary>
internal sealed class DemoStory
{
    public const string ApprovalIssuer = "US Data Security";

    public static readonly Instant Start = Instant.FromUtc(2021, 9, 1, 7, 0);
    public static readonly Instant End = Instant.FromUtc(2022, 7, 1, 7, 0);

    private const int UsUsers = 40_000;

    // The people behind bulk exports: the whole US user base, of which the 40,000 above are the ones read one at a time.
    private const int UsPopulation = 1_000_000;
    private static readonly byte[] SubjectKeySecret = "demo subject-key secret: an app keeps its own, rotated, in a vault"u8.ToArray();
    private const int EeaUsers = 6_000;

    private static readonly string[] ProtectedTypes =
    [
        "direct-message", "contact-info", "device-id", "precise-location", "payment-info", "viewing-history", "draft-video", "ip-address", "backup-snapshot",
    ];

    private static readonly string[] PublicTypes = ["public-profile", "public-video", "public-comment"];
    private static readonly Region Us = Region.Parse("US");
    private static readonly Region China = Region.Parse("CN");
    private static readonly Region Singapore = Region.Parse("SG");
    private static readonly Region Ireland = Region.Parse("IE");
    private static readonly Region[] EeaDataRegions = [Region.Parse("DE"), Region.Parse("FR"), Region.Parse("IE"), Region.Parse("NL")];
    private static readonly Region[] AbroadReaders = [China, Singapore, Region.Parse("GB"), Region.Parse("BR"), Region.Parse("IN"), Region.Parse("JP"), Region.Parse("MX")];

    private readonly Random _random;

    // Subject keys come from a generator of their own, so the story's other choices are the same with or without them.
    private readonly Random _keyRandom;
    private readonly Dictionary<int, string> _subjectKeys = [];
    private readonly IAccessAuditor _auditor;
    private readonly StoryClock _clock;
    private readonly Requester[] _usStaff;
    private readonly Requester[] _beijingEngineers;
    private readonly Requester _masterAdmin;
    private readonly Requester[] _singaporeOps;
    private readonly Requester _singaporeBackup;
    private readonly Requester[] _irishTrustAndSafety;
    private readonly Requester[] _analysts;
    private int _approvals;

    public DemoStory(IAccessAuditor auditor, StoryClock clock, int seed)
    {
        _auditor = auditor;
        _clock = clock;
        _random = new Random(seed);
        _keyRandom = new Random(unchecked(seed * 31) + 7);
        _usStaff = Staff("usds-", 300, Us, "TikTok U.S. Data Security", "analyst");
        _beijingEngineers = Staff("bd-eng-", 60, China, "ByteDance", "engineer");
        _masterAdmin = new Requester("bd-master-admin", China) { Organization = "ByteDance", Roles = ["master-admin"] };
        _singaporeOps = Staff("sg-ops-", 20, Singapore, "TikTok Singapore", "operations");
        _singaporeBackup = new Requester("svc-sg-backup", Singapore) { Organization = "TikTok Singapore", Roles = ["service-account"] };
        _irishTrustAndSafety = Staff("ie-tns-", 40, Ireland, "TikTok Ireland", "trust-and-safety");
        _analysts = [.. Staff("us-bi-", 10, Us, "TikTok Inc.", "analyst"), .. Staff("cn-bi-", 10, China, "ByteDance", "analyst")];
    }

    /// <summary>Records <paramref name="count"/> accesses, spread evenly (with jitter) over the story's ten months.</summary>
    public void Record(int count, Action<int>? onProgress = null)
    {
        var span = (End - Start).TotalTicks;
        for (var i = 0; i < count; i++)
        {
            var at = Start + Duration.FromTicks((long)(span * ((i + _random.NextDouble()) / count)));
            _clock.Set(at);
            RecordOne(at);
            if (onProgress is not null && (i + 1) % 10_000 == 0)
            {
                onProgress(i + 1);
            }
        }
    }

    private void RecordOne(Instant now)
    {
        var roll = _random.NextDouble();
        if (roll < 0.40)
        {
            // US staff read protected US data at home; a few reads are served from the Singapore data centre.
            var who = Pick(_usStaff);
            Protected(who, StaffType(who, 3), Us, _random.NextDouble() < 0.02 ? Singapore : Us, "read", null, "customer-support");
        }
        else if (roll < 0.58)
        {
            // Beijing engineers read protected US data; a quarter hold an approval, a third of which has expired.
            var who = Pick(_beijingEngineers);
            var approval = _random.NextDouble() < 0.25 ? Approval(now, expired: _random.NextDouble() < 0.33) : null;
            Protected(who, StaffType(who, 2), Us, _random.NextDouble() < 0.3 ? Singapore : Us, "read", approval, "debugging");
        }
        else if (roll < 0.62)
        {
            // The master admin: every kind of protected data, any user.
            var type = ProtectedTypes[_random.Next(ProtectedTypes.Length)];
            Protected(_masterAdmin, type, Us, _random.NextDouble() < 0.4 ? Singapore : Us, _random.NextDouble() < 0.1 ? "export" : "read", null, null);
        }
        else if (roll < 0.70)
        {
            var who = Pick(_singaporeOps);
            var approval = _random.NextDouble() < 0.3 ? Approval(now, expired: _random.NextDouble() < 0.2) : null;
            Protected(who, StaffType(who, 2), Us, Singapore, "read", approval, "operations");
        }
        else if (roll < 0.72)
        {
            // Nightly backups of US data kept in Singapore, in bulk.
            var day = now.InUtc().Date;
            var resource = new AccessedResource($"backup/us/{day:yyyy-MM-dd}/part-{_random.Next(16):00}", Taxonomy.Protected, Us)
            {
                Type = "backup-snapshot",
                StoredIn = Singapore,
            };
            _auditor.Record(_singaporeBackup, resource, "export", new AccessDetails { Purpose = "backup", Subjects = _random.Next(1_000, 50_000) });
        }
        else if (roll < 0.82)
        {
            TrustAndSafety(now);
        }
        else if (roll < 0.97)
        {
            // Public data read from abroad: allowed, but it crosses a border.
            var who = new Requester($"viewer-{_random.Next(5_000):0000}", AbroadReaders[_random.Next(AbroadReaders.Length)]);
            var type = PublicTypes[_random.Next(PublicTypes.Length)];
            var resource = new AccessedResource($"user/{_random.Next(UsUsers)}/{type}", Taxonomy.Public, Us) { Type = type, StoredIn = Us };
            _auditor.Record(who, resource, "read");
        }
        else if (roll < 0.995)
        {
            // Aggregated business metrics: interoperability data, excepted from the border rule.
            var who = Pick(_analysts);
            var resource = new AccessedResource($"metrics/us/{_random.Next(200)}", Taxonomy.Interoperability, Us) { Type = "aggregated-metrics", StoredIn = Us };
            _auditor.Record(who, resource, "read", new AccessDetails { Purpose = "business-reporting", Subjects = _random.Next(100, 10_000) });
        }
        else
        {
            // Nobody recorded where these requesters were.
            var who = new Requester($"contractor-{_random.Next(12):00}", Region.Unknown) { Organization = "unknown vendor" };
            Protected(who, ProtectedTypes[_random.Next(4)], Us, Us, "read", null, null);
        }
    }

    private void TrustAndSafety(Instant now)
    {
        var who = Pick(_irishTrustAndSafety);
        var roll = _random.NextDouble();
        if (roll < 0.5)
        {
            var resource = new AccessedResource($"video/{_random.Next(200_000)}/moderation-signal", Taxonomy.Interoperability, Us) { Type = "moderation-signal", StoredIn = Us };
            _auditor.Record(who, resource, "read", new AccessDetails { Purpose = "content-moderation" });
        }
        else if (roll < 0.8)
        {
            // European users' data, read at home in the EEA.
            var region = EeaDataRegions[_random.Next(EeaDataRegions.Length)];
            var type = ProtectedTypes[_random.Next(3)];
            var resource = new AccessedResource($"user/{region.Code.ToLowerInvariant()}-{_random.Next(EeaUsers)}/{type}", Taxonomy.Protected, region)
            {
                Type = type,
                StoredIn = Ireland,
            };
            _auditor.Record(who, resource, "read", new AccessDetails { Purpose = "trust-and-safety" });
        }
        else
        {
            Protected(who, "direct-message", Us, Us, "read", Approval(now, expired: _random.NextDouble() < 0.1), "trust-and-safety");
        }
    }

    private void Protected(Requester who, string type, Region dataRegion, Region storedIn, string action, Approval? approval, string? purpose)
    {
        var user = _random.Next(UsUsers);
        var resource = new AccessedResource($"user/{user}/{type}", Taxonomy.Protected, dataRegion) { Type = type, StoredIn = storedIn };
        var subjects = action == "export" ? _random.Next(10, 500) : 1;

        // A read touches its user; the master admin's exports sweep up to a thousand users of the whole US user base
        // at a time, which is how the account's reach crosses the bulk threshold for personal identifiers.
        var keys = subjects == 1 ? [SubjectKeyOf(user)] : ExportKeys(who == _masterAdmin ? 5 * subjects : subjects);
        _auditor.Record(who, resource, action, new AccessDetails { Approval = approval, Purpose = purpose, SubjectKeys = keys });
    }

    private string[] ExportKeys(int count)
    {
        var first = _keyRandom.Next(UsPopulation);
        var keys = new string[count];
        for (var i = 0; i < count; i++)
        {
            keys[i] = SubjectKeyOf((first + i) % UsPopulation);
        }

        return keys;
    }

    // The pseudonymous key of a user as an app would make it: an HMAC of the user id under a secret the app keeps, so
    // the log can count distinct people without holding who they are.
    private string SubjectKeyOf(int user)
    {
        ref var key = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_subjectKeys, user, out _);
        if (key is null)
        {
            Span<byte> mac = stackalloc byte[32];
            System.Security.Cryptography.HMACSHA256.HashData(SubjectKeySecret, System.Text.Encoding.UTF8.GetBytes($"us-user-{user}"), mac);
            key = Convert.ToBase64String(mac[..15]).Replace('+', '-').Replace('/', '_');
        }

        return key;
    }

    private Approval Approval(Instant now, bool expired)
    {
        var id = $"usds-approval-{++_approvals:00000}";
        return expired
            ? new Approval(id) { ApprovedBy = ApprovalIssuer, ValidFrom = now - Duration.FromDays(40), ValidUntil = now - Duration.FromDays(_random.Next(1, 30)) }
            : new Approval(id) { ApprovedBy = ApprovalIssuer, ValidFrom = now - Duration.FromDays(5), ValidUntil = now + Duration.FromDays(25) };
    }

    // Each staff member works with a few kinds of data, fixed by their place in the team.
    private string StaffType(Requester who, int kinds)
    {
        var offset = who.Id.Sum(c => c) % 8;
        return ProtectedTypes[(offset + _random.Next(kinds)) % 8];
    }

    private Requester Pick(Requester[] people) => people[_random.Next(people.Length)];

    private static Requester[] Staff(string prefix, int count, Region region, string organization, string role) =>
        [.. Enumerable.Range(1, count).Select(i => new Requester($"{prefix}{i:0000}", region) { Organization = organization, Roles = [role] })];
}
