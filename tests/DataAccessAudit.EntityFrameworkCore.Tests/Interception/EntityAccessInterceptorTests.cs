using DataAccessAudit.Classification;
using DataAccessAudit.EntityFrameworkCore.Tests.TestData;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace DataAccessAudit.EntityFrameworkCore.Tests.Interception;

// The same behaviour on every database the interceptor is used with: each provider's class below opens the database.
public abstract class EntityAccessInterceptorTests
{
    private static readonly Requester UsEmployee = new("emp-1", Region.Parse("US")) { Organization = "TikTok US" };
    private static readonly Requester BeijingEngineer = new("emp-4411", Region.Parse("CN")) { Organization = "ByteDance" };

    [Fact]
    public async Task Query_RecordsOneEventPerEntityType_WithTheDistinctPeopleRead()
    {
        await using var database = await OpenAsync();
        database.Requesters.Requester = UsEmployee;

        var messages = await database.QueryAsync(context => context.Messages.Where(m => m.Country == "US").ToListAsync(TestContext.Current.CancellationToken));

        Assert.Equal(5, messages.Count);
        var record = Assert.Single(await database.RecordsAsync());
        Assert.Equal(2, record.Event.Subjects);
        Assert.Same(UsEmployee, record.Event.Requester);
        Assert.Equal("Message", record.Event.Resource.Id);
        Assert.Equal(Taxonomy.Protected, record.Event.Resource.Category);
        Assert.Equal(Region.Parse("US"), record.Event.Resource.Region);
        Assert.Equal("read", record.Event.Action);
        Assert.Equal(database.Clock.GetCurrentInstant(), record.Event.Time);
        Assert.Equal(AccessOutcome.Allowed, record.Decision!.Value.Outcome);
    }

    [Fact]
    public async Task Query_RowsOfDifferentHomeRegions_AreOneEventPerRegion()
    {
        await using var database = await OpenAsync();
        database.Requesters.Requester = UsEmployee;

        await database.QueryAsync(context => context.Messages.ToListAsync(TestContext.Current.CancellationToken));

        var records = await database.RecordsAsync();
        Assert.Equal(
            [("IE", 1, AccessOutcome.Flagged), ("US", 2, AccessOutcome.Allowed)],
            records.Select(r => (r.Event.Resource.Region.Code, r.Event.Subjects, r.Decision!.Value.Outcome)).OrderBy(r => r.Code));
    }

    [Fact]
    public async Task Query_WithASubjectPseudonym_RecordsTheDistinctTokensOfThePeopleRead()
    {
        await using var database = await OpenAsync(configure: audit => audit.SubjectPseudonym = key => $"hmac({key})");
        database.Requesters.Requester = UsEmployee;

        await database.QueryAsync(context => context.Messages.Where(m => m.Country == "US").ToListAsync(TestContext.Current.CancellationToken));

        var accessEvent = Assert.Single(await database.RecordsAsync()).Event;
        Assert.Equal(["hmac(1)", "hmac(2)"], accessEvent.SubjectKeys.Order(StringComparer.Ordinal));
        Assert.Equal(2, accessEvent.Subjects);
    }

    [Fact]
    public async Task Query_WithoutSubjectKey_CountsEachEntityAsOnePerson()
    {
        await using var database = await OpenAsync();
        database.Requesters.Requester = UsEmployee;

        await database.QueryAsync(context => context.Profiles.Where(p => p.Country == "US").ToListAsync(TestContext.Current.CancellationToken));

        var record = Assert.Single(await database.RecordsAsync());
        Assert.Equal(Taxonomy.Public, record.Event.Resource.Category);
        Assert.Equal(2, record.Event.Subjects);
    }

    [Fact]
    public async Task Query_OfUnclassifiedEntities_RecordsNothing()
    {
        await using var database = await OpenAsync();
        database.Requesters.Requester = BeijingEngineer;

        await database.QueryAsync(context => context.Settings.ToListAsync(TestContext.Current.CancellationToken));

        Assert.Empty(await database.RecordsAsync());
    }

    [Fact]
    public async Task EachQuery_IsItsOwnEvent()
    {
        await using var database = await OpenAsync();
        database.Requesters.Requester = UsEmployee;

        await database.QueryAsync(async context =>
        {
            await context.Messages.Where(m => m.UserId == 1).AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
            return await context.Messages.Where(m => m.UserId == 2).AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
        });

        var records = await database.RecordsAsync();
        Assert.Equal([1, 1], records.Select(r => r.Event.Subjects));
        Assert.NotEqual(records[0].Event.Id, records[1].Event.Id);
    }

    [Fact]
    public async Task EnforceMode_DeniedQuery_ThrowsBeforeAnyRowReachesTheCaller_AndRecordsTheRefusal()
    {
        await using var database = await OpenAsync(PolicyMode.Enforce);
        database.Requesters.Requester = BeijingEngineer;
        var received = new List<Message>();

        var refused = await Assert.ThrowsAsync<AccessDeniedException>(() => database.QueryAsync(async context =>
        {
            await foreach (var message in context.Messages.AsAsyncEnumerable().WithCancellation(TestContext.Current.CancellationToken))
            {
                received.Add(message);
            }

            return received;
        }));

        Assert.Empty(received);
        var record = Assert.Single(await database.RecordsAsync());
        Assert.Equal(AccessOutcome.Denied, record.Decision!.Value.Outcome);
        Assert.Same(record.Event, refused.AccessEvent);
        Assert.True(refused.Decision.Findings.Contains(Finding.CountryOfConcernAccess));
        Assert.Contains(record.Event.Id, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnforceMode_PublicDataAbroad_IsAllowed()
    {
        await using var database = await OpenAsync(PolicyMode.Enforce);
        database.Requesters.Requester = BeijingEngineer;

        var profiles = await database.QueryAsync(context => context.Profiles.ToListAsync(TestContext.Current.CancellationToken));

        Assert.Equal(3, profiles.Count);
        Assert.All(await database.RecordsAsync(), record => Assert.Equal(AccessOutcome.Allowed, record.Decision!.Value.Outcome));
    }

    [Fact]
    public async Task NoRequester_RecordsTheConfiguredFallback()
    {
        var job = new Requester("svc-nightly", Region.Parse("US"));
        await using var database = await OpenAsync(configure: audit =>
        {
            audit.DefaultDataRegion = "US";
            audit.Requester = job;
            audit.Purpose = "nightly-digest";
        });

        await database.QueryAsync(context => context.Notes.ToListAsync(TestContext.Current.CancellationToken));

        var record = Assert.Single(await database.RecordsAsync());
        Assert.Same(job, record.Event.Requester);
        Assert.Equal("nightly-digest", record.Event.Purpose);
        Assert.Equal(Region.Parse("US"), record.Event.Resource.Region);
    }

    [Fact]
    public async Task NoRequesterAndNoFallback_RecordsAnUnknownRequester_WhichThePolicyReports()
    {
        await using var database = await OpenAsync();

        await database.QueryAsync(context => context.Notes.ToListAsync(TestContext.Current.CancellationToken));

        var record = Assert.Single(await database.RecordsAsync());
        Assert.True(record.Event.Requester.Region.IsUnknown);
        Assert.True(record.Decision!.Value.Findings.Contains(Finding.UnknownRequesterRegion));
    }

    [Fact]
    public async Task EntityWithoutHomeRegionOrDefault_FailsNamingTheEntity()
    {
        await using var database = await OpenAsync(configure: _ => { });
        database.Requesters.Requester = UsEmployee;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            database.QueryAsync(context => context.Notes.ToListAsync(TestContext.Current.CancellationToken)));

        Assert.Contains("Note", error.Message, StringComparison.Ordinal);
        Assert.Contains("[HomeRegion]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HomeRegionThatIsNoRegion_FailsNamingTheValue()
    {
        await using var database = await OpenAsync();
        database.Requesters.Requester = UsEmployee;
        await database.QueryAsync(async context =>
        {
            context.Profiles.Add(new Profile { DisplayName = "eve", Country = "XX" });
            return await context.SaveChangesAsync(TestContext.Current.CancellationToken);
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            database.QueryAsync(context => context.Profiles.ToListAsync(TestContext.Current.CancellationToken)));

        Assert.Contains("Profile.Country is \"XX\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyContexts_ShareOneEfServiceProvider()
    {
        await using var database = await OpenAsync();
        database.Requesters.Requester = UsEmployee;

        // EF Core builds an internal service provider per distinct set of options (and fails after twenty): contexts
        // of one app must share one, so a new interceptor per context must not make a new provider. A singleton of
        // that provider is the same object in every context exactly when they share it.
        var providers = new HashSet<object>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < 30; i++)
        {
            await database.QueryAsync(async context =>
            {
                providers.Add(context.GetService<IModelSource>());
                return await context.Notes.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
            });
        }

        Assert.Single(providers);
        Assert.Equal(30, (await database.RecordsAsync()).Count);
    }

    [Fact]
    public async Task ManyContexts_WithAFallbackRequesterBuiltPerContext_ShareOneEfServiceProvider()
    {
        // The configure callback runs once per context, so a requester built in it is a new object each time.
        await using var database = await OpenAsync(configure: audit =>
        {
            audit.DefaultDataRegion = "US";
            audit.Requester = new Requester("svc-nightly", Region.Parse("US"));
        });
        database.Requesters.Requester = null;

        var providers = new HashSet<object>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < 30; i++)
        {
            await database.QueryAsync(async context =>
            {
                providers.Add(context.GetService<IModelSource>());
                return await context.Notes.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
            });
        }

        Assert.Single(providers);
        var records = await database.RecordsAsync();
        Assert.Equal(30, records.Count);
        Assert.All(records, record => Assert.Equal("svc-nightly", record.Event.Requester.Id));
    }

    [Fact]
    public async Task GetDatabaseValuesAndReload_RecordTheRowRead_WithItsHomeRegionAndPerson()
    {
        await using var database = await OpenAsync();
        database.Requesters.Requester = UsEmployee;

        var (values, reloaded) = await database.QueryAsync(async context =>
        {
            var stub = new Message { Id = 6 };
            context.Attach(stub);
            var values = await context.Entry(stub).GetDatabaseValuesAsync(TestContext.Current.CancellationToken);
            await context.Entry(stub).ReloadAsync(TestContext.Current.CancellationToken);
            return (values, stub.Body);
        });

        Assert.Equal("dia duit", values!["Body"]);
        Assert.Equal("dia duit", reloaded);
        var records = await database.RecordsAsync();
        Assert.Equal(2, records.Count);
        Assert.All(records, record =>
        {
            Assert.Equal("Message", record.Event.Resource.Id);
            Assert.Equal(Region.Parse("IE"), record.Event.Resource.Region);
            Assert.Equal(1, record.Event.Subjects);
            Assert.Equal(AccessOutcome.Flagged, record.Decision!.Value.Outcome);
        });
    }

    [Fact]
    public async Task EnforceMode_DeniedGetDatabaseValues_ThrowsBeforeTheValuesReachTheCaller()
    {
        await using var database = await OpenAsync(PolicyMode.Enforce);
        database.Requesters.Requester = BeijingEngineer;

        await Assert.ThrowsAsync<AccessDeniedException>(() => database.QueryAsync(context =>
        {
            var stub = new Message { Id = 1 };
            context.Attach(stub);
            return context.Entry(stub).GetDatabaseValuesAsync(TestContext.Current.CancellationToken);
        }));

        var record = Assert.Single(await database.RecordsAsync());
        Assert.Equal(AccessOutcome.Denied, record.Decision!.Value.Outcome);
    }

    [Fact]
    public async Task ContextDisposedBeforeItsReader_RecordsTheRowsThatReachedTheCaller()
    {
        await using var database = await OpenAsync();
        database.Requesters.Requester = UsEmployee;

        var body = await database.QueryAsync(context =>
        {
            // An enumerator the app never disposes: its reader is still open when the context goes.
            var rows = context.Messages.AsNoTracking().OrderBy(m => m.Id).AsEnumerable().GetEnumerator();
            rows.MoveNext();
            return Task.FromResult(rows.Current.Body);
        });

        Assert.Equal("hi", body);
        var record = Assert.Single(await database.RecordsAsync());
        Assert.Equal("Message", record.Event.Resource.Id);
        Assert.Equal(1, record.Event.Subjects);
    }

    [Fact]
    public async Task NoTrackingQuery_WithoutSubjectKey_CountsEachPrimaryKeyOnce()
    {
        await using var database = await OpenAsync();
        database.Requesters.Requester = UsEmployee;

        // Six messages by three users: each user's profile comes back once per message, a new instance each time.
        var profiles = await database.QueryAsync(context => (
            from message in context.Messages
            join profile in context.Profiles on message.UserId equals profile.Id
            select profile).AsNoTracking().ToListAsync(TestContext.Current.CancellationToken));

        Assert.Equal(6, profiles.Count);
        var records = await database.RecordsAsync();
        Assert.Equal(
            [("IE", 1), ("US", 2)],
            records.Select(r => (r.Event.Resource.Region.Code, r.Event.Subjects)).OrderBy(r => r.Code));
    }

    [Fact]
    public async Task OwnedType_IsItsOwnersData_WithTheOwnersHomeRegionAndPerson()
    {
        // No DefaultDataRegion: the owned address has no home region of its own, and needs none.
        await using var database = await OpenAsync(configure: audit => audit.SubjectPseudonym = key => $"hmac({key})");
        database.Requesters.Requester = UsEmployee;

        var customers = await database.QueryAsync(context => context.Customers.ToListAsync(TestContext.Current.CancellationToken));

        Assert.Equal("1 Sraid Mhor", Assert.Single(customers).Address.Street);
        var record = Assert.Single(await database.RecordsAsync());
        Assert.Equal("Customer", record.Event.Resource.Id);
        Assert.Equal(Taxonomy.Protected, record.Event.Resource.Category);
        Assert.Equal(Region.Parse("IE"), record.Event.Resource.Region);
        Assert.Equal(["hmac(3)"], record.Event.SubjectKeys);
        Assert.Equal(AccessOutcome.Flagged, record.Decision!.Value.Outcome);
    }

    [Fact]
    public async Task ComplexTypeHoldingProtectedData_MakesItsOwnerProtected_AndEnforceModeRefusesAbroad()
    {
        await using (var database = await OpenAsync())
        {
            database.Requesters.Requester = UsEmployee;

            var patients = await database.QueryAsync(context => context.Patients.ToListAsync(TestContext.Current.CancellationToken));

            Assert.Equal("J10", Assert.Single(patients).Medical.Diagnosis.Code);
            var record = Assert.Single(await database.RecordsAsync());
            Assert.Equal(("Patient", Taxonomy.Protected), (record.Event.Resource.Id, record.Event.Resource.Category));
        }

        await using var enforced = await OpenAsync(PolicyMode.Enforce);
        enforced.Requesters.Requester = BeijingEngineer;

        await Assert.ThrowsAsync<AccessDeniedException>(() => enforced.QueryAsync(context => context.Patients.ToListAsync(TestContext.Current.CancellationToken)));

        Assert.Equal(AccessOutcome.Denied, Assert.Single(await enforced.RecordsAsync()).Decision!.Value.Outcome);
    }

    // Other people's owned rows selected beside an owner row are theirs, not that row's: each person is counted, and
    // the owner's own owned row (the same person) is not counted twice.
    [Fact]
    public async Task OwnedRowsOfOtherOwners_SelectedBesideAnOwnerRow_AreCountedAsTheirOwnersPeople()
    {
        await using var database = await OpenAsync();
        database.Requesters.Requester = UsEmployee;
        await database.QueryAsync(context =>
        {
            context.Customers.AddRange(
                new Customer { UserId = 4, Country = "US", Address = new Address { Street = "2 Main St" } },
                new Customer { UserId = 5, Country = "US", Address = new Address { Street = "3 Main St" } });
            return context.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
        var before = (await database.RecordsAsync()).Count;

        var rows = await database.QueryAsync(context =>
            (from a in context.Customers.AsNoTracking().Where(customer => customer.UserId == 3)
             from b in context.Customers.AsNoTracking()
             select new { a, b.Address }).ToListAsync(TestContext.Current.CancellationToken));

        Assert.Equal(3, rows.Count);
        var records = (await database.RecordsAsync()).Skip(before).ToList();
        Assert.All(records, record => Assert.Equal("Customer", record.Event.Resource.Id));
        Assert.Equal(3, records.Sum(record => record.Event.Subjects));
    }

    [Fact]
    public async Task OwnedTypeSelectedWithoutItsOwner_IsRecordedAsTheOwnersData_InTheDefaultRegion()
    {
        await using var database = await OpenAsync();
        database.Requesters.Requester = UsEmployee;

        var addresses = await database.QueryAsync(context =>
            context.Customers.AsNoTracking().Select(customer => customer.Address).ToListAsync(TestContext.Current.CancellationToken));

        Assert.Single(addresses);
        var record = Assert.Single(await database.RecordsAsync());
        Assert.Equal("Customer", record.Event.Resource.Id);
        Assert.Equal(Taxonomy.Protected, record.Event.Resource.Category);
        Assert.Equal(Region.Parse("US"), record.Event.Resource.Region);
        Assert.Equal(1, record.Event.Subjects);
    }

    protected abstract Task<ChatDatabase> OpenAsync(PolicyMode mode = PolicyMode.Audit, Action<EntityAuditOptions>? configure = null);
}
