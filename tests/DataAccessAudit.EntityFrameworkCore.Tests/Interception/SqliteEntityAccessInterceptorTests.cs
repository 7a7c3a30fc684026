using DataAccessAudit.EntityFrameworkCore.Tests.TestData;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using Microsoft.EntityFrameworkCore;

namespace DataAccessAudit.EntityFrameworkCore.Tests.Interception;

/// <summary>Against a real SQLite file.</summary>
public sealed class SqliteEntityAccessInterceptorTests : EntityAccessInterceptorTests
{
    // Reading while another reader of the context is open needs a provider that allows it: SQLite does (as SQL Server
    // with MARS does); PostgreSQL runs one command at a time per connection.
    [Fact]
    public async Task QueriesRunWhileAnotherReaderIsOpen_AreEachTheirOwnEvent()
    {
        await using var database = new ChatDatabase();
        database.Requesters.Requester = new Requester("emp-1", Region.Parse("US"));

        await database.QueryAsync(async context =>
        {
            await foreach (var message in context.Messages.AsNoTracking().Where(m => m.Country == "US").AsAsyncEnumerable().WithCancellation(TestContext.Current.CancellationToken))
            {
                await context.Profiles.AsNoTracking().Where(p => p.Id == message.UserId).ToListAsync(TestContext.Current.CancellationToken);
            }

            return 0;
        });

        var records = await database.RecordsAsync();
        var message = Assert.Single(records, r => r.Event.Resource.Id == "Message");
        Assert.Equal(2, message.Event.Subjects);
        Assert.Equal(5, records.Count(r => r.Event.Resource.Id == "Profile"));
    }

    [Fact]
    public async Task PooledContextReturnedBeforeItsReader_RecordsTheRowsThatReachedTheCaller()
    {
        await using var database = new ChatDatabase(pooled: true);
        database.Requesters.Requester = new Requester("emp-1", Region.Parse("US"));

        // A pooled context is reset, not disposed, when its scope ends.
        await database.QueryAsync(context =>
        {
            var rows = context.Messages.AsNoTracking().OrderBy(m => m.Id).AsEnumerable().GetEnumerator();
            rows.MoveNext();
            return Task.FromResult(rows.Current.Body);
        });

        var record = Assert.Single(await database.RecordsAsync());
        Assert.Equal("Message", record.Event.Resource.Id);
    }

    protected override Task<ChatDatabase> OpenAsync(PolicyMode mode = PolicyMode.Audit, Action<EntityAuditOptions>? configure = null) =>
        Task.FromResult(new ChatDatabase(mode, configure));
}
