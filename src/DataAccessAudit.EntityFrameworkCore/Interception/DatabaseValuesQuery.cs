using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace DataAccessAudit.EntityFrameworkCore.Interception;

/// <summary>
/// Makes the query behind <c>Entry(e).GetDatabaseValues()</c> and <c>Entry(e).Reload()</c> materialise the entity it
/// reads, so that its read is tallied like any query's: with the entity's home region and person, and refused in
/// enforce mode before the values reach the caller.
/// </summary>
/// <remarks>
/// EF Core runs these as <c>Select(e => new object[] { EF.Property&lt;T&gt;(e, "A"), ... })</c> over the entity's
/// set, with no tracking: every mapped column of one row, but no entity, so nothing else would see it. The selector is
/// rewritten to <c>e => Values(e, new object[] { ... })</c>, which hands back the same values and lets EF Core
/// materialise <c>e</c> from the columns it reads anyway (and those of owned types, which the entity brings along). A
/// query written by hand in that shape reads the whole row too, and is recorded the same way.
/// </remarks>
internal static class DatabaseValuesQuery
{
    private static readonly MethodInfo ValuesMethod = typeof(DatabaseValuesQuery).GetMethod(nameof(Values), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Gets <paramref name="query"/> with each selector of all of an entity's columns made to materialise the entity.</summary>
    public static Expression Rewrite(Expression query) => new Rewriter().Visit(query);

    private static object[] Values(object entity, object[] values) => values;

    private sealed class Rewriter : ExpressionVisitor
    {
        [UnconditionalSuppressMessage("Trimming", "IL2060", Justification = "Only the selector is replaced; the Select method and its type arguments are EF Core's own.")]
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.DeclaringType == typeof(Queryable)
                && node.Method.Name == nameof(Queryable.Select)
                && node.Method.ReturnType == typeof(IQueryable<object[]>)
                && node.Arguments.Count == 2
                && node.Arguments[1] is UnaryExpression { NodeType: ExpressionType.Quote, Operand: LambdaExpression { Parameters: [var row] } selector }
                && selector.Parameters.Count == 1
                && selector.Body is NewArrayExpression { NodeType: ExpressionType.NewArrayInit } columns
                && columns.Expressions.Count > 0
                && columns.Expressions.All(column => ReadsColumnOf(column, row)))
            {
                var entity = row.Type == typeof(object) ? (Expression)row : Expression.Convert(row, typeof(object));
                var rewritten = Expression.Lambda(selector.Type, Expression.Call(ValuesMethod, entity, columns), selector.Parameters);
                return node.Update(node.Object, [Visit(node.Arguments[0]), Expression.Quote(rewritten)]);
            }

            return base.VisitMethodCall(node);
        }

        // EF.Property<T>(row, "Name"), converted to object; a complex property's column is EF.Property of EF.Property.
        private static bool ReadsColumnOf(Expression column, ParameterExpression row)
        {
            while (true)
            {
                switch (column)
                {
                    case UnaryExpression { NodeType: ExpressionType.Convert } convert:
                        column = convert.Operand;
                        break;
                    case MethodCallExpression { Method: { IsGenericMethod: true, Name: nameof(EF.Property) } method } call when method.DeclaringType == typeof(EF):
                        column = call.Arguments[0];
                        break;
                    default:
                        return column == row;
                }
            }
        }
    }
}
