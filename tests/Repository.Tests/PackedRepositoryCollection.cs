namespace DataAccessAudit.Repository.Tests;

// One copy of the repository, packed once, for every test that needs the packages as users get them.
[CollectionDefinition(nameof(PackedRepositoryCollection))]
public sealed class PackedRepositoryCollection : ICollectionFixture<PackedRepository>;
