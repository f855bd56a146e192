//! Reads one county out of the `china-division` CSV files (areas.csv, streets.csv, villages.csv).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context};
use app::domain::codes::{check_parent, division_level, DivisionLevel};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Township {
    pub division: Division,
    pub villages: Vec<Division>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct County {
    pub division: Division,
    pub townships: Vec<Township>,
}

impl County {
    pub fn village_count(&self) -> usize {
        self.townships.iter().map(|t| t.villages.len()).sum()
    }
}

/// Rows of one CSV file that belong to the county, as (code, name, parent code).
fn read_rows(
    path: &Path,
    parent_column: &str,
    keep: impl Fn(&str) -> bool,
) -> anyhow::Result<Vec<(String, String, String)>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(file);
    let headers = reader
        .headers()
        .with_context(|| format!("malformed CSV {}", path.display()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .with_context(|| format!("malformed CSV {}: no column '{name}'", path.display()))
    };
    let (code_i, name_i, parent_i) = (col("code")?, col("name")?, col(parent_column)?);
    let mut out = Vec::new();
    for (line, rec) in reader.records().enumerate() {
        let rec = rec
            .with_context(|| format!("malformed CSV {} at record {}", path.display(), line + 2))?;
        let field = |i: usize| {
            rec.get(i).map(|s| s.trim().to_string()).with_context(|| {
                format!(
                    "malformed CSV {} at record {}: missing field",
                    path.display(),
                    line + 2
                )
            })
        };
        let parent = field(parent_i)?;
        if !keep(&parent) {
            continue;
        }
        let code = field(code_i)?;
        let name = field(name_i)?;
        if name.is_empty() {
            bail!(
                "malformed CSV {} at record {}: empty name",
                path.display(),
                line + 2
            );
        }
        out.push((code, name, parent));
    }
    Ok(out)
}

/// Loads the county, its townships and villages, checking every code and its nesting.
pub fn load_county(dir: &Path, county_code: &str) -> anyhow::Result<County> {
    if division_level(county_code).ok() != Some(DivisionLevel::County) {
        bail!("'{county_code}' is not a 6-digit county code");
    }
    let city = &county_code[..4];
    let areas = read_rows(&dir.join("areas.csv"), "cityCode", |p| p == city)?;
    let Some((_, county_name, _)) = areas.into_iter().find(|(c, _, _)| c == county_code) else {
        bail!(
            "unknown county code {county_code}: not in {}",
            dir.join("areas.csv").display()
        );
    };
    let streets = read_rows(&dir.join("streets.csv"), "areaCode", |p| p == county_code)?;
    if streets.is_empty() {
        bail!("county {county_code} has no townships in streets.csv");
    }
    let mut townships: BTreeMap<String, Township> = BTreeMap::new();
    for (code, name, parent) in streets {
        check_parent(&code, &parent).with_context(|| "streets.csv")?;
        let t = Township {
            division: Division {
                code: code.clone(),
                name,
            },
            villages: vec![],
        };
        if townships.insert(code.clone(), t).is_some() {
            bail!("streets.csv: duplicate township code {code}");
        }
    }
    let villages = read_rows(&dir.join("villages.csv"), "streetCode", |p| {
        p.starts_with(county_code)
    })?;
    for (code, name, parent) in villages {
        check_parent(&code, &parent).with_context(|| "villages.csv")?;
        let Some(t) = townships.get_mut(&parent) else {
            bail!("villages.csv: village {code} names unknown township {parent}");
        };
        if t.villages.iter().any(|v| v.code == code) {
            bail!("villages.csv: duplicate village code {code}");
        }
        t.villages.push(Division { code, name });
    }
    let mut townships: Vec<Township> = townships.into_values().collect();
    for t in &mut townships {
        t.villages.sort_by(|a, b| a.code.cmp(&b.code));
    }
    Ok(County {
        division: Division {
            code: county_code.to_string(),
            name: county_name,
        },
        townships,
    })
}

/// "清廉社区居委会" → "清廉社区", "王村村委会" → "王村".
pub fn short_village_name(name: &str) -> String {
    for suffix in ["村民委员会", "居民委员会", "社区居委会", "居委会", "村委会"]
    {
        if let Some(stem) = name.strip_suffix(suffix) {
            if suffix == "社区居委会" {
                return format!("{stem}社区");
            }
            return stem.to_string();
        }
    }
    name.to_string()
}

pub fn township_kind(name: &str) -> &'static str {
    if name.ends_with("街道") {
        "street"
    } else if name.ends_with('镇') {
        "town"
    } else {
        "township"
    }
}

pub fn village_kind(name: &str) -> &'static str {
    if name.contains("社区") {
        "community"
    } else {
        "village"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(short_village_name("清廉社区居委会"), "清廉社区");
        assert_eq!(short_village_name("王村村委会"), "王村");
        assert_eq!(short_village_name("红星社区"), "红星社区");
        assert_eq!(township_kind("龙洲街道"), "street");
        assert_eq!(township_kind("湖镇镇"), "town");
        assert_eq!(township_kind("沐尘畲族乡"), "township");
    }
}
