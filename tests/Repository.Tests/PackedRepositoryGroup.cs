namespace DataAccessAudit.Repository.Tests;

// One copy of the repository, packed once, for every test that needs the packages as users get them.
[CollectionDefinition(nameof(PackedRepositoryGroup))]
public sealed class PackedRepositoryGroup : ICollectionFixture<PackedRepository>;
