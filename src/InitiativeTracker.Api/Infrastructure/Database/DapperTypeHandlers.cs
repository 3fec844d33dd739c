using System.Data;
using Dapper;

namespace InitiativeTracker.Api.Infrastructure.Database;

/// <summary>
/// Teaches Dapper the text forms of <see cref="SqlText"/>, so rows map straight into records with
/// <see cref="DateOnly"/> and UTC <see cref="DateTime"/> members.
/// </summary>
public static class DapperTypeHandlers
{
    private static int s_registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 1)
        {
            return;
        }

        // Dapper maps these types natively (Microsoft.Data.Sqlite would then write "yyyy-MM-dd HH:mm:ss");
        // dropping the built-in maps makes it use the handlers below for parameters as well as results.
        foreach (var type in new[] { typeof(DateTime), typeof(DateTime?), typeof(DateOnly), typeof(DateOnly?) })
        {
            SqlMapper.RemoveTypeMap(type);
        }

        SqlMapper.AddTypeHandler(new DateOnlyHandler());
        SqlMapper.AddTypeHandler(new UtcDateTimeHandler());
    }

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = SqlText.Date(value);
        }

        public override DateOnly Parse(object value) => SqlText.ParseDate((string)value);
    }

    private sealed class UtcDateTimeHandler : SqlMapper.TypeHandler<DateTime>
    {
        public override void SetValue(IDbDataParameter parameter, DateTime value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = SqlText.Timestamp(value.ToUniversalTime());
        }

        public override DateTime Parse(object value) => SqlText.ParseTimestamp((string)value);
    }
}
