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

        SqlMapper.AddTypeHandler(new TextHandler<DateOnly>(SqlText.Date, SqlText.ParseDate));
        SqlMapper.AddTypeHandler(new TextHandler<DateTime>(value => SqlText.Timestamp(value.ToUniversalTime()), SqlText.ParseTimestamp));
    }

    private sealed class TextHandler<T>(Func<T, string> format, Func<string, T> parse) : SqlMapper.TypeHandler<T>
    {
        public override void SetValue(IDbDataParameter parameter, T? value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = format(value!);
        }

        public override T Parse(object value) => parse((string)value);
    }
}
