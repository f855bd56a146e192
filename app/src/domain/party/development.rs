//! 发展党员: the development of a new member through the 5 stages and 25 steps of the national
//! work rules (《中国共产党发展党员工作细则》), as a pure state machine. Steps are taken in
//! order, each on a day no earlier than the step before; the minimum intervals the rules set
//! (a year as activist before becoming a candidate, a year of probation) and the deadlines
//! (a talk within a month of the application, the higher committee's approval within three
//! months of the branch meeting) are checked here, once, for the store and the pages.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// The five stages (阶段) of the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// 申请入党
    Application,
    /// 入党积极分子的确定和培养教育
    Activist,
    /// 发展对象的确定和考察
    Candidate,
    /// 预备党员的接收
    Admission,
    /// 预备党员的教育考察和转正
    Probation,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Application => "application",
            Stage::Activist => "activist",
            Stage::Candidate => "candidate",
            Stage::Admission => "admission",
            Stage::Probation => "probation",
        }
    }
}

/// Who takes a step: the branch, or the higher (township) party committee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Taker {
    Branch,
    Higher,
}

/// What a step must carry besides its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Needs {
    Nothing,
    /// A document's reference (the application letter, the review, the certificate…).
    Document,
    /// Two full members as sponsors (入党介绍人).
    Sponsors,
    /// A branch assembly's vote.
    Vote,
}

/// An interval in whole months from an earlier step's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct After {
    pub step: u8,
    pub months: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDef {
    /// 1 to 25.
    pub no: u8,
    pub stage: Stage,
    /// An i18n key suffix under `development.step_`.
    pub code: &'static str,
    pub taker: Taker,
    pub needs: Needs,
    /// Not before this many months after an earlier step.
    pub not_before: Option<After>,
    /// Due within this many months of an earlier step: late afterwards (still allowed,
    /// but the county sees it as overdue until it is done).
    pub due_within: Option<After>,
}

const fn step(no: u8, stage: Stage, code: &'static str, taker: Taker, needs: Needs) -> StepDef {
    StepDef {
        no,
        stage,
        code,
        taker,
        needs,
        not_before: None,
        due_within: None,
    }
}

const fn not_before(mut s: StepDef, step: u8, months: u32) -> StepDef {
    s.not_before = Some(After { step, months });
    s
}

const fn due_within(mut s: StepDef, step: u8, months: u32) -> StepDef {
    s.due_within = Some(After { step, months });
    s
}

use Needs::{Document, Nothing, Sponsors, Vote};
use Stage::{Activist, Admission, Application, Candidate, Probation};
use Taker::{Branch, Higher};

/// The 25 steps, in order.
pub const STEPS: [StepDef; 25] = [
    step(1, Application, "apply", Branch, Document),
    due_within(step(2, Application, "talk", Branch, Nothing), 1, 1),
    step(3, Activist, "activist", Branch, Document),
    step(4, Activist, "activist_filed", Higher, Nothing),
    step(5, Activist, "mentors", Branch, Document),
    // Trained and observed for at least a year, with a review every half year.
    step(6, Activist, "training", Branch, Document),
    not_before(step(7, Candidate, "candidate", Branch, Document), 3, 12),
    step(8, Candidate, "candidate_filed", Higher, Nothing),
    step(9, Candidate, "sponsors", Branch, Sponsors),
    step(10, Candidate, "political_review", Branch, Document),
    step(11, Candidate, "course", Higher, Document),
    step(12, Admission, "committee_review", Branch, Document),
    step(13, Admission, "pre_review", Higher, Document),
    step(14, Admission, "volunteer_form", Branch, Document),
    step(15, Admission, "assembly", Branch, Vote),
    step(16, Admission, "higher_talk", Higher, Nothing),
    due_within(step(17, Admission, "approval", Higher, Document), 15, 3),
    step(18, Admission, "approval_filed", Higher, Nothing),
    step(19, Probation, "placed", Branch, Nothing),
    step(20, Probation, "oath", Branch, Nothing),
    step(21, Probation, "probation_review", Branch, Document),
    // The probation is a year from the assembly that admitted the member.
    not_before(step(22, Probation, "full_apply", Branch, Document), 15, 12),
    not_before(step(23, Probation, "full_assembly", Branch, Vote), 15, 12),
    due_within(
        step(24, Probation, "full_approval", Higher, Document),
        23,
        3,
    ),
    step(25, Probation, "archived", Branch, Nothing),
];

/// Youngest age at which one may apply.
pub const MIN_AGE: i32 = 18;

pub fn def(no: u8) -> Option<&'static StepDef> {
    STEPS.get(usize::from(no).checked_sub(1)?)
}

/// `d` plus whole months, the day clamped to the month's end (31 Jan + 1 month = 28/29 Feb).
pub fn add_months(d: Date, months: u32) -> Date {
    let total = d.year() * 12 + (d.month() as i32 - 1) + months as i32;
    let (y, m) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    let month = Month::try_from(m).unwrap_or(Month::January);
    let last = month.length(y);
    Date::from_calendar_date(y, month, d.day().min(last)).unwrap_or(d)
}

/// A branch assembly's vote: members entitled to vote (full members), present, in favour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Votes {
    pub entitled: u32,
    pub present: u32,
    pub yes: u32,
}

impl Votes {
    /// More than half of the entitled present, and more than half of the entitled in favour.
    pub fn passes(self) -> bool {
        self.present <= self.entitled
            && self.yes <= self.present
            && self.present * 2 > self.entitled
            && self.yes * 2 > self.entitled
    }
}

/// What is recorded with a step.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StepInput {
    pub document: String,
    /// Member ids of the two sponsors.
    pub sponsors: Vec<i64>,
    pub votes: Option<Votes>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DevError {
    /// Not the next step: `expected` is.
    OutOfOrder { expected: u8 },
    /// All 25 steps are done.
    Finished,
    /// The day lies in the future or before the previous step's day.
    BadDay,
    /// A minimum interval is not over: not before `not_before`.
    TooEarly { not_before: Date },
    /// The step needs a document reference.
    NoDocument,
    /// Two different sponsors are needed.
    Sponsors,
    /// The vote is missing or does not pass.
    Vote,
    /// The applicant is under 18 on the day of the application.
    Underage,
    /// The step is the branch's and the caller is the higher committee, or the other way.
    NotYours,
}

impl DevError {
    pub fn reason(self) -> &'static str {
        match self {
            DevError::OutOfOrder { .. } => "dev_out_of_order",
            DevError::Finished => "dev_finished",
            DevError::BadDay => "dev_bad_day",
            DevError::TooEarly { .. } => "dev_too_early",
            DevError::NoDocument => "dev_no_document",
            DevError::Sponsors => "dev_sponsors",
            DevError::Vote => "dev_vote",
            DevError::Underage => "dev_underage",
            DevError::NotYours => "dev_not_yours",
        }
    }
}

/// A step done: its number and day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done {
    pub no: u8,
    pub on: Date,
}

fn day_of(done: &[Done], no: u8) -> Option<Date> {
    done.iter().find(|d| d.no == no).map(|d| d.on)
}

/// The next step to take, if any (steps are taken in order, so it follows the last one).
pub fn next_step(done: &[Done]) -> Option<&'static StepDef> {
    def(done.last().map_or(1, |d| d.no + 1))
}

/// The earliest day the next step may be taken on (its minimum interval and the day of the
/// step before).
pub fn earliest(done: &[Done], s: &StepDef) -> Option<Date> {
    let after_last = done.last().map(|d| d.on);
    let interval = s
        .not_before
        .and_then(|a| day_of(done, a.step).map(|d| add_months(d, a.months)));
    after_last.into_iter().chain(interval).max()
}

/// The day the next step is due by, if the rules set one.
pub fn due_by(done: &[Done], s: &StepDef) -> Option<Date> {
    let a = s.due_within?;
    day_of(done, a.step).map(|d| add_months(d, a.months))
}

/// Checks step `no` taken on `on` by `taker` with `input`, given the steps done so far (in
/// order) and the applicant's birth date; Ok means it may be recorded.
pub fn check_step(
    done: &[Done],
    no: u8,
    on: Date,
    today: Date,
    taker: Taker,
    birth: Date,
    input: &StepInput,
) -> Result<(), DevError> {
    let Some(next) = next_step(done) else {
        return Err(DevError::Finished);
    };
    if no != next.no {
        return Err(DevError::OutOfOrder { expected: next.no });
    }
    if taker != next.taker {
        return Err(DevError::NotYours);
    }
    if on > today || done.last().is_some_and(|d| on < d.on) {
        return Err(DevError::BadDay);
    }
    if let Some(e) = earliest(done, next) {
        if on < e {
            return Err(DevError::TooEarly { not_before: e });
        }
    }
    if no == 1 && add_months(birth, 12 * MIN_AGE as u32) > on {
        return Err(DevError::Underage);
    }
    match next.needs {
        Nothing => Ok(()),
        Document if input.document.trim().is_empty() => Err(DevError::NoDocument),
        Document => Ok(()),
        Sponsors => match input.sponsors[..] {
            [a, b] if a != b => Ok(()),
            _ => Err(DevError::Sponsors),
        },
        Vote => match input.votes {
            Some(v) if v.passes() => Ok(()),
            _ => Err(DevError::Vote),
        },
    }
}

/// Where an applicant stands, as the lists show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Standing {
    /// 入党申请人
    Applicant,
    /// 入党积极分子
    Activist,
    /// 发展对象
    Candidate,
    /// 预备党员
    Probationary,
    /// 正式党员
    Full,
}

impl Standing {
    pub const ALL: [Standing; 5] = [
        Standing::Applicant,
        Standing::Activist,
        Standing::Candidate,
        Standing::Probationary,
        Standing::Full,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Applicant => "applicant",
            Standing::Activist => "activist",
            Standing::Candidate => "candidate",
            Standing::Probationary => "probationary",
            Standing::Full => "full",
        }
    }
}

/// The standing after the steps done: an activist from step 3, a candidate from step 7, a
/// probationary member once the higher committee approved (step 17), a full member once it
/// approved the full membership (step 24).
pub fn standing(done: &[Done]) -> Standing {
    match done.last().map_or(0, |d| d.no) {
        0..=2 => Standing::Applicant,
        3..=6 => Standing::Activist,
        7..=16 => Standing::Candidate,
        17..=23 => Standing::Probationary,
        _ => Standing::Full,
    }
}

/// The next step's deadline if it has passed by `today`.
pub fn overdue(done: &[Done], today: Date) -> Option<(u8, Date)> {
    let next = next_step(done)?;
    due_by(done, next)
        .filter(|d| *d < today)
        .map(|d| (next.no, d))
}

/// Who takes which steps of a branch's applicants: its secretary the branch's, the township
/// and county above it the higher committee's, an administrator both. Members of the branch
/// and everyone else do not see applicants' files at all (empty).
pub fn takers(
    access: crate::domain::party::MeetingAccess,
    role: crate::domain::roles::Role,
) -> Vec<Taker> {
    use crate::domain::party::MeetingAccess as A;
    use crate::domain::roles::Role;
    match (access, role) {
        (A::Manage, Role::Admin) => vec![Taker::Branch, Taker::Higher],
        (A::Manage, _) => vec![Taker::Branch],
        (A::Watch, Role::TownshipDispatcher | Role::CountySupervisor) => vec![Taker::Higher],
        _ => Vec::new(),
    }
}

impl Taker {
    pub fn as_str(self) -> &'static str {
        match self {
            Taker::Branch => "branch",
            Taker::Higher => "higher",
        }
    }
}

impl Needs {
    pub fn as_str(self) -> &'static str {
        match self {
            Needs::Nothing => "nothing",
            Needs::Document => "document",
            Needs::Sponsors => "sponsors",
            Needs::Vote => "vote",
        }
    }
}

impl Votes {
    /// `entitled/present/yes`, as stored.
    pub fn encode(self) -> String {
        format!("{}/{}/{}", self.entitled, self.present, self.yes)
    }

    pub fn decode(s: &str) -> Option<Votes> {
        let mut it = s.split('/').map(|x| x.parse::<u32>().ok());
        match (it.next()??, it.next()??, it.next()??, it.next()) {
            (entitled, present, yes, None) => Some(Votes {
                entitled,
                present,
                yes,
            }),
            _ => None,
        }
    }
}
