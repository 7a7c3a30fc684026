namespace DataAccessAudit.PostgreSql.Writing;

// A privilege the writer needs and its role lacks: what it is (a privilege's name, or ownership), the object it is on
// as PostgreSQL names it, which of the writer's statements need it, and the statement an administrator runs to give it.
internal readonly record struct MissingPrivilege(string Privilege, string Object, string NeededFor, string Grant)
{
    public override string ToString() => $"{Privilege} on {Object}, {NeededFor}: {Grant}";
}
