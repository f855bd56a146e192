//! The SQLite and PostgreSQL migration trees are kept by hand; this migrates both and compares
//! what they made: tables, columns (types normalised), primary keys, indexes and uniques, and
//! foreign keys. Any drift fails with the difference.

use std::collections::BTreeSet;

use sqlx::{AnyPool, Row};

use crate::common::TestDb;

/// A column type as both databases mean it.
fn norm(t: &str) -> String {
    let t = t.to_ascii_lowercase();
    match t.as_str() {
        "integer" | "bigint" | "int8" | "int4" | "int" | "smallint" => "int".into(),
        "text" | "character varying" | "varchar" => "text".into(),
        "real" | "double precision" | "float8" => "real".into(),
        other => other.into(),
    }
}

#[derive(Default, Debug)]
struct Schema {
    columns: BTreeSet<String>,
    keys: BTreeSet<String>,
    indexes: BTreeSet<String>,
    foreign: BTreeSet<String>,
}

async fn sqlite_schema(pool: &AnyPool) -> Schema {
    let mut s = Schema::default();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for t in tables {
        let cols = sqlx::query(&format!(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info('{t}')"
        ))
        .fetch_all(pool)
        .await
        .unwrap();
        let mut pk: Vec<(i64, String)> = Vec::new();
        for c in cols {
            let name: String = c.get(0);
            let ty: String = c.get(1);
            let notnull: i64 = c.get(2);
            let p: i64 = c.get(3);
            // A primary key column is not null whatever the declaration says.
            s.columns.insert(format!(
                "{t}.{name} {} {}",
                norm(&ty),
                notnull != 0 || p > 0
            ));
            if p > 0 {
                pk.push((p, name));
            }
        }
        pk.sort();
        let pk: Vec<String> = pk.into_iter().map(|(_, n)| n).collect();
        s.keys.insert(format!("{t}({})", pk.join(",")));
        let idx = sqlx::query(&format!(
            "SELECT name, \"unique\", origin FROM pragma_index_list('{t}')"
        ))
        .fetch_all(pool)
        .await
        .unwrap();
        for i in idx {
            let name: String = i.get(0);
            let unique: i64 = i.get(1);
            let origin: String = i.get(2);
            if origin == "pk" {
                continue;
            }
            let cols: Vec<String> = sqlx::query_scalar(&format!(
                "SELECT name FROM pragma_index_info('{name}') ORDER BY seqno"
            ))
            .fetch_all(pool)
            .await
            .unwrap();
            s.indexes
                .insert(format!("{t}({}) unique={}", cols.join(","), unique != 0));
        }
        let fks = sqlx::query(&format!(
            "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('{t}')"
        ))
        .fetch_all(pool)
        .await
        .unwrap();
        for f in fks {
            let from: String = f.get(0);
            let table: String = f.get(1);
            let to: Option<String> = f.try_get(2).ok();
            let to = to.unwrap_or_else(|| "id".into());
            s.foreign.insert(format!("{t}.{from} -> {table}.{to}"));
        }
    }
    s
}

async fn pg_schema(pool: &AnyPool) -> Schema {
    let mut s = Schema::default();
    let cols = sqlx::query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = 'public' \
         AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for c in cols {
        let (t, name, ty, nullable): (String, String, String, String) =
            (c.get(0), c.get(1), c.get(2), c.get(3));
        s.columns
            .insert(format!("{t}.{name} {} {}", norm(&ty), nullable == "NO"));
    }
    // Indexes, with the primary keys apart.
    let idx = sqlx::query(
        "SELECT t.relname::text, i.indisunique, i.indisprimary, \
           array_to_string(ARRAY(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(n, o) \
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o), ',') \
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid \
         JOIN pg_namespace ns ON ns.oid = t.relnamespace \
         WHERE ns.nspname = 'public' AND t.relname <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for i in idx {
        let (t, unique, primary, cols): (String, bool, bool, String) =
            (i.get(0), i.get(1), i.get(2), i.get(3));
        if primary {
            s.keys.insert(format!("{t}({cols})"));
        } else {
            s.indexes.insert(format!("{t}({cols}) unique={unique}"));
        }
    }
    // Tables without a primary key, as SQLite lists them: an empty key.
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace \
         WHERE ns.nspname = 'public' AND c.relkind = 'r' AND c.relname <> '_sqlx_migrations' \
         AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for t in tables {
        s.keys.insert(format!("{t}()"));
    }
    let fks = sqlx::query(
        "SELECT cl.relname::text, a.attname::text, rcl.relname::text, ra.attname::text \
         FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid \
         JOIN pg_class rcl ON rcl.oid = c.confrelid \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
         JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1] \
         WHERE c.contype = 'f'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for f in fks {
        let (t, from, table, to): (String, String, String, String) =
            (f.get(0), f.get(1), f.get(2), f.get(3));
        s.foreign.insert(format!("{t}.{from} -> {table}.{to}"));
    }
    s
}

fn diff(what: &str, a: &BTreeSet<String>, b: &BTreeSet<String>) -> Vec<String> {
    let mut out: Vec<String> = a
        .difference(b)
        .map(|x| format!("{what} only in SQLite: {x}"))
        .collect();
    out.extend(
        b.difference(a)
            .map(|x| format!("{what} only in PostgreSQL: {x}")),
    );
    out
}

#[tokio::test]
async fn both_migration_trees_make_the_same_schema() {
    let dbs = TestDb::both().await;
    let lite = sqlite_schema(&dbs[0].pool).await;
    let pg = pg_schema(&dbs[1].pool).await;
    assert!(
        lite.columns.len() > 100,
        "{} columns read",
        lite.columns.len()
    );
    assert!(!lite.indexes.is_empty() && !lite.foreign.is_empty());
    let mut drift = diff("column", &lite.columns, &pg.columns);
    drift.extend(diff("primary key", &lite.keys, &pg.keys));
    drift.extend(diff("index", &lite.indexes, &pg.indexes));
    drift.extend(diff("foreign key", &lite.foreign, &pg.foreign));
    assert!(
        drift.is_empty(),
        "the migration trees disagree:\n{}",
        drift.join("\n")
    );
    // And the comparison sees drift when there is some: one column and one index more on one side.
    sqlx::query("ALTER TABLE users ADD COLUMN nickname TEXT")
        .execute(&dbs[0].pool)
        .await
        .unwrap();
    sqlx::query("CREATE INDEX users_role ON users(role)")
        .execute(&dbs[1].pool)
        .await
        .unwrap();
    let lite = sqlite_schema(&dbs[0].pool).await;
    let pg = pg_schema(&dbs[1].pool).await;
    let seen = [
        diff("column", &lite.columns, &pg.columns),
        diff("index", &lite.indexes, &pg.indexes),
    ]
    .concat();
    assert_eq!(
        seen,
        vec![
            "column only in SQLite: users.nickname text false".to_string(),
            "index only in PostgreSQL: users(role) unique=false".to_string(),
        ]
    );
    for db in dbs {
        db.drop_db().await;
    }
}
