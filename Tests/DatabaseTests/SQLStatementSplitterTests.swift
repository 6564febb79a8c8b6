import Testing

@testable import Database

/// Cutting migration files into statements as PostgreSQL's lexer would.
@Suite struct SQLStatementSplitterTests {
    @Test func splitsOnSemicolonsAndDropsEmptyStatementsAndComments() {
        let sql = """
            -- a comment; with a semicolon
            CREATE TABLE a (id int);

            /* block ; comment */ CREATE INDEX a_id ON a (id);
            ;
            -- trailing comment only
            """
        #expect(SQLStatementSplitter.split(sql) == [
            "-- a comment; with a semicolon\nCREATE TABLE a (id int)",
            "/* block ; comment */ CREATE INDEX a_id ON a (id)",
        ])
    }

    @Test func keepsSemicolonsInsideStringsIdentifiersAndDollarQuotes() {
        let sql = """
            INSERT INTO t VALUES ('it''s; fine', "odd;name");
            CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN RAISE NOTICE 'x;y'; RETURN NEW; END; $body$ LANGUAGE plpgsql;
            DO $$ BEGIN PERFORM 1; END $$;
            SELECT $1::int;
            """
        let statements = SQLStatementSplitter.split(sql)
        #expect(statements.count == 4)
        #expect(statements[0] == #"INSERT INTO t VALUES ('it''s; fine', "odd;name")"#)
        #expect(statements[1].hasSuffix("$body$ LANGUAGE plpgsql"))
        #expect(statements[2] == "DO $$ BEGIN PERFORM 1; END $$")
        #expect(statements[3] == "SELECT $1::int")
    }

    @Test func nestedBlockCommentsAndUnterminatedInputDoNotCrash() {
        #expect(SQLStatementSplitter.split("/* a /* b; */ c; */ SELECT 1; SELECT 2") == ["/* a /* b; */ c; */ SELECT 1", "SELECT 2"])
        #expect(SQLStatementSplitter.split("SELECT 'unterminated; ") == ["SELECT 'unterminated;"])
        #expect(SQLStatementSplitter.split("SELECT $tag$ never closed; ") == ["SELECT $tag$ never closed;"])
        #expect(SQLStatementSplitter.split("") == [])
    }
}
