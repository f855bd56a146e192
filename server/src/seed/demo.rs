//! Deterministic demo people for an imported county: departments, grid staff, party branches
//! and groups, buildings, households, residents (valid-looking fake ID numbers and phones),
//! party members, and one demo login per role.

use std::collections::HashSet;

use anyhow::Context;
use app::domain::codes::building_code;
use app::domain::identity::id_check_char;
use app::domain::org::child_path;
use indicatif::{ProgressBar, ProgressStyle};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::{Any, AnyPool, Transaction};

use crate::db::Backend;

pub const DEMO_PASSWORD: &str = "Lianxin@2026";

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub county: String,
    /// Average households per grid (the real county: about 60).
    pub households_per_grid: usize,
    pub password: String,
    pub quiet: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub departments: u64,
    pub buildings: u64,
    pub households: u64,
    pub residents: u64,
    pub party_members: u64,
    pub grid_staff: u64,
    pub accounts: Vec<(String, String, String)>,
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "郑", "谢", "罗", "梁", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "方", "童", "邵", "翁",
    "毛", "祝", "劳", "蓝", "雷", "钱",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "志", "红", "海", "春", "玉", "兰",
    "文", "德", "福", "荣", "光", "琴", "云", "飞", "晓", "林", "雪", "梅", "斌", "波", "辉", "鹏",
    "丹", "宇", "浩", "凯", "婷", "欣", "佳", "俊", "子", "思", "雨", "晨",
];
const COUNTY_DEPARTMENTS: &[&str] = &[
    "县委政法委",
    "县公安局",
    "县民政局",
    "县人力资源和社会保障局",
    "县住房和城乡建设局",
    "县卫生健康局",
    "县市场监督管理局",
    "县应急管理局",
    "县生态环境分局",
    "县农业农村局",
    "县自然资源和规划局",
    "县信访局",
    "县综合行政执法局",
    "县水利局",
];
const TOWNSHIP_STATIONS: &[&str] = &[
    "综治中心",
    "派出所",
    "市场监管所",
    "司法所",
    "综合行政执法中队",
    "社会事务办",
    "农业农村办",
    "卫生院",
];
const HAMLET_HEAD: &[&str] = &["上", "下", "前", "后", "东", "西", "新", "大", "小", "里"];
const HAMLET_TAIL: &[&str] = &["家", "村", "坞", "畈", "塘", "岭", "山", "源"];
const POSTS: &[&str] = &["支部委员", "党小组长", "村务监督委员", "网格员", "村民代表"];

fn name(rng: &mut ChaCha8Rng, surname: Option<&str>) -> String {
    let s = surname.unwrap_or_else(|| SURNAMES.choose(rng).copied().unwrap_or("王"));
    let g1 = GIVEN.choose(rng).copied().unwrap_or("华");
    if rng.gen_bool(0.7) {
        let g2 = GIVEN.choose(rng).copied().unwrap_or("明");
        format!("{s}{g1}{g2}")
    } else {
        format!("{s}{g1}")
    }
}

fn phone(rng: &mut ChaCha8Rng) -> String {
    let prefix = ["13", "15", "17", "18", "19"]
        .choose(rng)
        .copied()
        .unwrap_or("13");
    format!("{prefix}{:09}", rng.gen_range(0..1_000_000_000u64))
}

/// A fake citizen ID with a valid GB 11643 check character; the 17th digit is odd for men.
fn id_number(
    rng: &mut ChaCha8Rng,
    county: &str,
    birth_year: i64,
    male: bool,
    used: &mut HashSet<String>,
) -> String {
    loop {
        let month = rng.gen_range(1..=12);
        let day = rng.gen_range(1..=28);
        let mut seq = rng.gen_range(0..500) * 2;
        if male {
            seq += 1;
        }
        let body = format!("{county}{birth_year:04}{month:02}{day:02}{seq:03}");
        let Some(check) = id_check_char(&body) else {
            continue;
        };
        let id = format!("{body}{check}");
        if used.insert(id.clone()) {
            return id;
        }
    }
}

enum Val {
    I(i64),
    N(Option<i64>),
    S(String),
}

/// Multi-row INSERT in chunks that stay under both databases' parameter limits.
async fn insert_rows(
    tx: &mut Transaction<'_, Any>,
    head: &str,
    rows: Vec<Vec<Val>>,
) -> anyhow::Result<()> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(());
    };
    let per = (3000 / width).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Val>> = rows.by_ref().take(per).collect();
        let mut sql = String::from(head);
        sql.push_str(" VALUES ");
        for (r, _) in chunk.iter().enumerate() {
            if r > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..width {
                if c > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("${}", r * width + c + 1));
            }
            sql.push(')');
        }
        let mut q = sqlx::query(&sql);
        for v in chunk.into_iter().flatten() {
            q = match v {
                Val::I(i) => q.bind(i),
                Val::N(n) => q.bind(n),
                Val::S(s) => q.bind(s),
            };
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

async fn next_id(tx: &mut Transaction<'_, Any>, table: &str) -> anyhow::Result<i64> {
    let max: i64 = sqlx::query_scalar(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
        .fetch_one(&mut **tx)
        .await?;
    Ok(max + 1)
}

#[derive(sqlx::FromRow)]
struct GridRow {
    id: i64,
    code: String,
    name: String,
    path: String,
    village_name: String,
    village_kind: String,
}

#[derive(sqlx::FromRow)]
struct UnitRow {
    id: i64,
    name: String,
}

/// Seeds the demo people of a county that has been imported with grids. Runs in one transaction.
pub async fn seed(
    pool: &AnyPool,
    backend: Backend,
    opts: &DemoOptions,
) -> anyhow::Result<DemoSummary> {
    let mut rng = ChaCha8Rng::seed_from_u64(crate::geo::import::layout::seed_of(&opts.county));
    // Identifiers are sealed as they are made: the file never holds them in plaintext.
    let keys = app::crypto::ring().map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut tx = pool.begin().await?;
    let county: UnitRow =
        sqlx::query_as("SELECT id, name FROM org_units WHERE code = $1 AND level = 'county'")
            .bind(&opts.county)
            .fetch_optional(&mut *tx)
            .await?
            .with_context(|| format!("county {} has not been imported", opts.county))?;
    let townships: Vec<UnitRow> = sqlx::query_as(
        "SELECT id, name FROM org_units WHERE parent_id = $1 AND level = 'township' ORDER BY code",
    )
    .bind(county.id)
    .fetch_all(&mut *tx)
    .await?;
    let grids: Vec<GridRow> = sqlx::query_as(
        "SELECT g.id, g.code, g.name, g.path, v.name AS village_name, v.kind AS village_kind \
         FROM org_units g JOIN org_units v ON v.id = g.parent_id \
         WHERE g.level = 'grid' AND g.code LIKE $1 ORDER BY g.code",
    )
    .bind(format!("{}%", opts.county))
    .fetch_all(&mut *tx)
    .await?;
    anyhow::ensure!(
        !grids.is_empty(),
        "county {} has no grids: import it with --generate-grids",
        opts.county
    );
    let mut summary = DemoSummary::default();

    // Departments (条线站所) at the county and in every township.
    let mut dept_rows = Vec::new();
    for d in COUNTY_DEPARTMENTS {
        dept_rows.push(vec![Val::I(county.id), Val::S(d.to_string())]);
    }
    for t in &townships {
        for s in TOWNSHIP_STATIONS {
            dept_rows.push(vec![Val::I(t.id), Val::S(format!("{}{}", t.name, s))]);
        }
    }
    summary.departments = dept_rows.len() as u64;
    insert_rows(
        &mut tx,
        "INSERT INTO departments (org_unit_id, name)",
        dept_rows,
    )
    .await?;

    let pb = if opts.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(grids.len() as u64)
    };
    pb.set_style(
        ProgressStyle::with_template("{prefix:>10} [{bar:30}] {pos}/{len} grids, {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_prefix("demo");
    let mut unit_id = next_id(&mut tx, "org_units").await?;
    let mut branch_id = next_id(&mut tx, "party_branches").await?;
    let mut household_id = next_id(&mut tx, "households").await?;
    let mut resident_id = next_id(&mut tx, "residents").await?;
    let mut used_ids = HashSet::new();
    let this_year = 2026;
    // (a resident, a party member's resident, a neighbour in another household)
    let mut first_grid_people: Option<(i64, i64, i64)> = None;

    for g in &grids {
        let (mut units, mut branches, mut groups, mut staff) = (vec![], vec![], vec![], vec![]);
        let (mut households, mut residents, mut members) = (vec![], vec![], vec![]);
        let community = g.village_kind == "community";
        let n_buildings = rng.gen_range(3..=6);
        let mut building_ids = Vec::new();
        let this_branch = branch_id;
        branch_id += 1;
        branches.push(vec![
            Val::I(this_branch),
            Val::I(g.id),
            Val::S(format!("{}党支部", g.name)),
            Val::S(name(&mut rng, None)),
        ]);
        for b in 1..=n_buildings {
            let bname = if community {
                format!("{b}幢")
            } else {
                let s = SURNAMES.choose(&mut rng).copied().unwrap_or("王");
                let head = HAMLET_HEAD.choose(&mut rng).copied().unwrap_or("上");
                let tail = HAMLET_TAIL.choose(&mut rng).copied().unwrap_or("村");
                format!("{head}{s}{tail}")
            };
            let id = unit_id;
            unit_id += 1;
            units.push(vec![
                Val::I(id),
                Val::I(g.id),
                Val::S("building".into()),
                Val::S(building_code(&g.code, b)),
                Val::S(bname.clone()),
                Val::S(if community { "building" } else { "hamlet" }.into()),
                Val::S(child_path(&g.path, id)),
            ]);
            groups.push(vec![
                Val::I(this_branch),
                Val::I(id),
                Val::S(format!("{bname}党小组")),
                Val::S(name(&mut rng, None)),
            ]);
            building_ids.push((id, bname));
        }
        staff.push(vec![
            Val::I(g.id),
            Val::S("leader".into()),
            Val::S(name(&mut rng, None)),
            Val::S(phone(&mut rng)),
        ]);
        for _ in 0..rng.gen_range(1..=2) {
            staff.push(vec![
                Val::I(g.id),
                Val::S("worker".into()),
                Val::S(name(&mut rng, None)),
                Val::S(phone(&mut rng)),
            ]);
        }
        staff.push(vec![
            Val::I(g.id),
            Val::S("instructor".into()),
            Val::S(name(&mut rng, None)),
            Val::S(phone(&mut rng)),
        ]);

        let avg = opts.households_per_grid.max(1);
        let n_households = rng.gen_range((avg * 7 / 10).max(1)..=(avg * 13 / 10).max(1));
        let mut adults = Vec::new();
        for h in 0..n_households {
            let (bid, bname) = &building_ids[h % building_ids.len()];
            let surname = SURNAMES.choose(&mut rng).copied().unwrap_or("王");
            let head = name(&mut rng, Some(surname));
            let address = if community {
                format!(
                    "{}{}{}单元{}室",
                    g.village_name,
                    bname,
                    h % 4 + 1,
                    101 + h / 4
                )
            } else {
                format!("{}{}{}号", g.village_name, bname, h + 1)
            };
            let hid = household_id;
            household_id += 1;
            households.push(vec![
                Val::I(hid),
                Val::I(g.id),
                Val::I(*bid),
                Val::S(address),
                Val::S(head.clone()),
            ]);
            let size = *[1, 2, 2, 3, 3, 3, 4, 4, 5].choose(&mut rng).unwrap_or(&3);
            let head_birth = this_year - rng.gen_range(28..=80);
            for m in 0..size {
                let (relation, pname, birth) = match m {
                    0 => ("户主", head.clone(), head_birth),
                    1 => (
                        "配偶",
                        name(&mut rng, None),
                        head_birth + rng.gen_range(-4..=4),
                    ),
                    2 if rng.gen_bool(0.2) => (
                        "父母",
                        name(&mut rng, Some(surname)),
                        head_birth - rng.gen_range(22..=30),
                    ),
                    _ => (
                        "子女",
                        name(&mut rng, Some(surname)),
                        (head_birth + rng.gen_range(22..=34)).min(this_year - 1),
                    ),
                };
                let male = rng.gen_bool(0.5);
                let rid = resident_id;
                resident_id += 1;
                let idn = id_number(&mut rng, &opts.county, birth, male, &mut used_ids);
                let tel = if this_year - birth >= 16 {
                    phone(&mut rng)
                } else {
                    String::new()
                };
                residents.push(vec![
                    Val::I(rid),
                    Val::I(hid),
                    Val::S(pname.clone()),
                    Val::S(keys.seal("residents.id_number", &idn)),
                    Val::S(keys.blind("id_number", &idn)),
                    Val::S(keys.seal("residents.phone", &tel)),
                    Val::S(keys.blind("phone", &tel)),
                    Val::S(if male { "男" } else { "女" }.into()),
                    Val::I(birth),
                    Val::S(relation.into()),
                ]);
                if this_year - birth >= 18 {
                    adults.push((rid, pname, birth));
                }
            }
        }
        // About one adult in ten is a party member (the county: ~10,000 members).
        adults.shuffle(&mut rng);
        let n_members = (adults.len() as f64 * 0.09).round() as usize;
        for (rid, pname, birth) in adults.iter().take(n_members.max(1)) {
            let post = if rng.gen_bool(0.35) {
                POSTS.choose(&mut rng).copied().unwrap_or("")
            } else {
                ""
            };
            members.push(vec![
                Val::I(this_branch),
                Val::N(Some(*rid)),
                Val::S(pname.clone()),
                Val::S(post.into()),
                Val::I(rng.gen_bool(0.08) as i64),
                Val::I((birth + rng.gen_range(20..=40)).min(this_year)),
            ]);
        }
        if first_grid_people.is_none() {
            let any_resident = residents.first().and_then(|r| match r[0] {
                Val::I(i) => Some(i),
                _ => None,
            });
            let member_resident = members.first().and_then(|r| match r[1] {
                Val::N(i) => i,
                _ => None,
            });
            let neighbour = residents.last().and_then(|r| match r[0] {
                Val::I(i) => Some(i),
                _ => None,
            });
            if let (Some(a), Some(b), Some(c)) = (any_resident, member_resident, neighbour) {
                first_grid_people = Some((a, b, c));
            }
        }
        summary.buildings += units.len() as u64;
        summary.households += households.len() as u64;
        summary.residents += residents.len() as u64;
        summary.party_members += members.len() as u64;
        summary.grid_staff += staff.len() as u64;
        insert_rows(
            &mut tx,
            "INSERT INTO org_units (id, parent_id, level, code, name, kind, path)",
            units,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO party_branches (id, org_unit_id, name, secretary)",
            branches,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO party_groups (branch_id, building_id, name, leader)",
            groups,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO grid_staff (grid_id, duty, name, phone)",
            staff,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO households (id, grid_id, building_id, address, head_name)",
            households,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO residents (id, household_id, name, id_number, id_number_bidx, phone, phone_bidx, gender, birth_year, relation)",
            residents,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO party_members (branch_id, resident_id, name, post, migrant, joined_year)",
            members,
        )
        .await?;
        pb.set_message(format!("{} households", summary.households));
        pb.inc(1);
    }
    pb.finish_and_clear();
    if backend == Backend::Postgres {
        // Explicit ids bypass identity sequences; move them past what we wrote.
        for t in ["org_units", "party_branches", "households", "residents"] {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}))"
            ))
            .execute(&mut *tx)
            .await?;
        }
    }
    summary.accounts = seed_accounts(
        &mut tx,
        &county,
        &townships,
        &opts.password,
        first_grid_people,
    )
    .await?;
    tx.commit().await?;
    Ok(summary)
}

/// Two more party members in the first grid's branch, so a demo meeting has a second member to
/// check in (`member2`, a resident of the grid; returned) and a migrant member without an
/// account to record absent. Added after the random population so the rest of the demo stays
/// as it was.
async fn second_members(
    tx: &mut Transaction<'_, Any>,
    grid_id: i64,
    taken: &[Option<i64>],
) -> anyhow::Result<Option<i64>> {
    let Some(branch): Option<i64> =
        sqlx::query_scalar("SELECT id FROM party_branches WHERE org_unit_id = $1")
            .bind(grid_id)
            .fetch_optional(&mut **tx)
            .await?
    else {
        return Ok(None);
    };
    let people: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT r.id, r.name, r.birth_year FROM residents r JOIN households h ON h.id = r.household_id \
         WHERE h.grid_id = $1 AND r.birth_year <= 2008 \
         AND NOT EXISTS (SELECT 1 FROM party_members pm WHERE pm.resident_id = r.id) \
         ORDER BY r.id LIMIT 10",
    )
    .bind(grid_id)
    .fetch_all(&mut **tx)
    .await?;
    let chosen = people.into_iter().find(|p| !taken.contains(&Some(p.0)));
    if let Some((rid, name, birth)) = &chosen {
        sqlx::query(
            "INSERT INTO party_members (branch_id, resident_id, name, post, migrant, joined_year) \
             VALUES ($1, $2, $3, '', 0, $4)",
        )
        .bind(branch)
        .bind(rid)
        .bind(name)
        .bind((birth + 25).min(2026))
        .execute(&mut **tx)
        .await?;
    }
    // A member working away (流动党员), registered in no household here: attends remotely.
    sqlx::query(
        "INSERT INTO party_members (branch_id, resident_id, name, post, migrant, joined_year) \
         VALUES ($1, NULL, '周建军', '', 1, 2012)",
    )
    .bind(branch)
    .execute(&mut **tx)
    .await?;
    Ok(chosen.map(|p| p.0))
}

/// username, display name, role, org unit, department, resident.
type DemoAccount<'a> = (&'a str, &'a str, &'a str, i64, Option<i64>, Option<i64>);

async fn seed_accounts(
    tx: &mut Transaction<'_, Any>,
    county: &UnitRow,
    townships: &[UnitRow],
    password: &str,
    people: Option<(i64, i64, i64)>,
) -> anyhow::Result<Vec<(String, String, String)>> {
    let first_town = townships.first().context("no townships")?;
    let second_town = townships.get(1).unwrap_or(first_town);
    let village: UnitRow =
        sqlx::query_as("SELECT id, name FROM org_units WHERE parent_id = $1 ORDER BY code LIMIT 1")
            .bind(first_town.id)
            .fetch_one(&mut **tx)
            .await?;
    let grid: UnitRow =
        sqlx::query_as("SELECT id, name FROM org_units WHERE parent_id = $1 ORDER BY code LIMIT 1")
            .bind(village.id)
            .fetch_one(&mut **tx)
            .await?;
    // The village's next grid: a grid worker who is not responsible for the first grid's people.
    let next_grid: UnitRow = sqlx::query_as(
        "SELECT id, name FROM org_units WHERE parent_id = $1 AND id <> $2 ORDER BY code LIMIT 1",
    )
    .bind(village.id)
    .bind(grid.id)
    .fetch_optional(&mut **tx)
    .await?
    .unwrap_or(UnitRow {
        id: grid.id,
        name: grid.name.clone(),
    });
    let dept: (i64,) =
        sqlx::query_as("SELECT id FROM departments WHERE org_unit_id = $1 ORDER BY id LIMIT 1")
            .bind(first_town.id)
            .fetch_one(&mut **tx)
            .await?;
    let resident = people.map(|p| p.0);
    let member = people.map(|p| p.1);
    let neighbour = people.map(|p| p.2).filter(|n| Some(*n) != resident);
    // A county department that owns categories at county level (住建: roads, street lights).
    let county_dept: (i64,) = sqlx::query_as(
        "SELECT id FROM departments WHERE org_unit_id = $1 AND name = '县住房和城乡建设局'",
    )
    .bind(county.id)
    .fetch_one(&mut **tx)
    .await?;
    let member2 = second_members(tx, grid.id, &[resident, member, neighbour]).await?;
    let accounts: Vec<DemoAccount> = vec![
        ("admin", "系统管理员", "admin", county.id, None, None),
        (
            "county",
            "县指挥中心督查员",
            "county_supervisor",
            county.id,
            None,
            None,
        ),
        (
            "town1",
            &first_town.name,
            "township_dispatcher",
            first_town.id,
            None,
            None,
        ),
        (
            "town2",
            &second_town.name,
            "township_dispatcher",
            second_town.id,
            None,
            None,
        ),
        (
            "dept1",
            "站所工作人员",
            "department_staff",
            first_town.id,
            Some(dept.0),
            None,
        ),
        (
            "village1",
            &village.name,
            "village_cadre",
            village.id,
            None,
            None,
        ),
        ("grid1", &grid.name, "grid_worker", grid.id, None, None),
        (
            "grid2",
            &next_grid.name,
            "grid_worker",
            next_grid.id,
            None,
            None,
        ),
        ("member1", "党员", "party_member", grid.id, None, member),
        ("member2", "党员二", "party_member", grid.id, None, member2),
        ("resident1", "居民", "resident", grid.id, None, resident),
        ("resident2", "邻居", "resident", grid.id, None, neighbour),
        (
            "countydept",
            "县住建局工作人员",
            "department_staff",
            county.id,
            Some(county_dept.0),
            None,
        ),
    ];
    let mut out = Vec::new();
    for (username, display, role, unit, dept, resident) in accounts {
        let hash =
            app::features::auth::hashing::hash_now(password).map_err(|e| anyhow::anyhow!("{e}"))?;
        let display = match role {
            "township_dispatcher" => format!("{display}调度员"),
            "village_cadre" => format!("{display}村干部"),
            "grid_worker" => format!("{display}网格员"),
            _ => display.to_string(),
        };
        sqlx::query(
            "INSERT INTO users (username, password_hash, display_name, role, org_unit_id, department_id, resident_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(username)
        .bind(&hash)
        .bind(&display)
        .bind(role)
        .bind(unit)
        .bind(dept)
        .bind(resident)
        .bind(crate::db::now())
        .execute(&mut **tx)
        .await?;
        out.push((username.to_string(), role.to_string(), display));
    }
    Ok(out)
}
