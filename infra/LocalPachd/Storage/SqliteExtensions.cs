using Microsoft.Data.Sqlite;

namespace LocalPachd.Storage;

/// <summary>Small helpers so the SQL reads as SQL.</summary>
internal static class SqliteExtensions
{
    public static int Execute(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var (command, cached) = Rent(connection, sql, parameters);
        try
        {
            return command.ExecuteNonQuery();
        }
        finally
        {
            Return(connection, sql, command, cached);
        }
    }

    public static object? Scalar(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var (command, cached) = Rent(connection, sql, parameters);
        try
        {
            var value = command.ExecuteScalar();
            return value is DBNull ? null : value;
        }
        finally
        {
            Return(connection, sql, command, cached);
        }
    }

    public static List<T> Query<T>(this SqliteConnection connection, string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        var (command, cached) = Rent(connection, sql, parameters);
        try
        {
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(map(reader));
            }

            return rows;
        }
        finally
        {
            Return(connection, sql, command, cached);
        }
    }

    public static T? QuerySingle<T>(this SqliteConnection connection, string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
        where T : class
    {
        var (command, cached) = Rent(connection, sql, parameters);
        try
        {
            using var reader = command.ExecuteReader();
            return reader.Read() ? map(reader) : null;
        }
        finally
        {
            Return(connection, sql, command, cached);
        }
    }

    public static SqliteCommand Prepare(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>The connection's prepared statement for <paramref name="sql"/> when it keeps one, else a new command.</summary>
    private static (SqliteCommand Command, bool Cached) Rent(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        if (connection is MetadataConnection metadata && metadata.TakeStatement(sql) is { } command)
        {
            var existing = command.Parameters;
            if (!SameNames(existing, parameters))
            {
                existing.Clear();
                foreach (var (name, _) in parameters)
                {
                    existing.Add(new SqliteParameter { ParameterName = name });
                }
            }

            // The same parameter objects run after run: only their values change (types are inferred from each value).
            for (var i = 0; i < parameters.Length; i++)
            {
                existing[i].Value = parameters[i].Value ?? DBNull.Value;
            }

            return (command, true);
        }

        return (connection.Prepare(sql, parameters), false);
    }

    private static bool SameNames(SqliteParameterCollection existing, (string Name, object? Value)[] parameters)
    {
        if (existing.Count != parameters.Length)
        {
            return false;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            if (!string.Equals(existing[i].ParameterName, parameters[i].Name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static void Return(SqliteConnection connection, string sql, SqliteCommand command, bool cached)
    {
        if (cached)
        {
            ((MetadataConnection)connection).ReturnStatement(sql, command);
        }
        else
        {
            command.Dispose();
        }
    }

    public static string? GetNullableString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetNullableInt64(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static Hash256? GetNullableHash(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Hash256.FromSpan((byte[])reader.GetValue(ordinal));
}
