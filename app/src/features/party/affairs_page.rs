//! `/party/affairs`: a branch's housekeeping (支部事务) — the committee's term with the light
//! before 换届, members' dues and the month paid up to, transfers out and in with the
//! receiving branch's answer, and members' bonus declarations with their photos. The
//! township and county see every branch of theirs at the top. Plain forms throughout.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::affairs_api::{
    get_affairs, AnswerTransfer, DecideDeclaration, PayDues, RecordTerm, SetDuesRate, StartTransfer,
};
use super::types::{Affairs, AffairsRow, DeclarationLine, DuesLine, TransferLine};
use crate::domain::party::affairs::{yuan, MAX_DECLARATION_NOTE, MAX_MONTHS_PER_PAYMENT};
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};
use crate::ui::time::when;

#[derive(Clone, Copy)]
struct Actions {
    term: ServerAction<RecordTerm>,
    rate: ServerAction<SetDuesRate>,
    pay: ServerAction<PayDues>,
    start: ServerAction<StartTransfer>,
    answer: ServerAction<AnswerTransfer>,
    decide: ServerAction<DecideDeclaration>,
}

#[component]
pub fn AffairsPage() -> impl IntoView {
    let query = use_query_map();
    let branch =
        Memo::new(move |_| query.with(|q| q.get("branch_id").and_then(|b| b.parse::<i64>().ok())));
    let a = Actions {
        term: ServerAction::new(),
        rate: ServerAction::new(),
        pay: ServerAction::new(),
        start: ServerAction::new(),
        answer: ServerAction::new(),
        decide: ServerAction::new(),
    };
    let data = Resource::new(
        move || {
            (
                branch.get(),
                a.term.version().get()
                    + a.rate.version().get()
                    + a.pay.version().get()
                    + a.start.version().get()
                    + a.answer.version().get()
                    + a.decide.version().get(),
            )
        },
        |(b, _)| get_affairs(b),
    );
    let failure = move || {
        [
            a.term.value().get().and_then(|r| r.err()),
            a.rate.value().get().and_then(|r| r.err()),
            a.pay.value().get().and_then(|r| r.err()),
            a.start.value().get().and_then(|r| r.err()),
            a.answer.value().get().and_then(|r| r.err()),
            a.decide.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| view! { <ErrorText error=e/> })
    };
    view! {
        <section class="party-page" data-testid="affairs-page">
            <p><a href="/party">{tr("party.title")}</a></p>
            <h1>{tr("affairs.title")}</h1>
            {failure}
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, move |x| view! { <View x=x a=a/> }.into_any()))}
            </Suspense>
        </section>
    }
}

fn term_light(status: &str) -> &'static str {
    match status {
        "running" => "light light-green",
        "soon" => "light light-yellow",
        "overdue" => "light light-red",
        _ => "light light-grey",
    }
}

#[component]
fn View(x: Affairs, a: Actions) -> impl IntoView {
    let manage = x.access == "manage";
    let overview = (!x.overview.is_empty()).then(|| view! { <Overview rows=x.overview.clone()/> });
    let switch = (x.branches.len() > 1 && x.overview.is_empty()).then(|| {
        let links = x
            .branches
            .iter()
            .map(|b| view! { <a href=format!("/party/affairs?branch_id={}", b.id)>{b.name.clone()}</a> " " })
            .collect_view();
        view! { <p class="links">{links}</p> }
    });
    let t = x.term.clone();
    let ends = t.ends_on.clone().map(|e| {
        let left = if t.days_left >= 0 {
            format!("{} {}", tr("affairs.days_left"), t.days_left)
        } else {
            format!("{} {}", tr("affairs.days_over"), -t.days_left)
        };
        view! { " · " {tr("affairs.term_ends")} " " {e} " · " {left} }
    });
    let term_form = manage.then(|| {
        view! {
            <details class="box">
                <summary>{tr("affairs.record_term")}</summary>
                <ActionForm action=a.term attr:class="stack narrow" attr:data-testid="term-form">
                    <input type="hidden" name="branch_id" value=x.branch_id.to_string()/>
                    <label>{tr("fields.elected_on")} <input type="date" name="elected_on" required data-testid="term-date"/></label>
                    <label>
                        {tr("fields.years")}
                        <select name="years">
                            <option value="5" selected=t.years == 5>"5"</option>
                            <option value="3" selected=t.years == 3>"3"</option>
                        </select>
                    </label>
                    <label>{tr("fields.note")} <input type="text" name="note" maxlength="200"/></label>
                    <button type="submit" class="primary" data-testid="term-submit">{tr("affairs.record_term")}</button>
                </ActionForm>
            </details>
        }
    });
    let dues = x
        .dues
        .iter()
        .map(|d| view! { <DuesRow d=d.clone() manage=manage a=a/> })
        .collect_view();
    let transfers = (x.access != "attend").then(|| {
        view! { <Transfers x=x.clone() a=a/> }
    });
    let declare = x.me.map(|_| {
        view! {
            <details class="box" data-testid="declare-card">
                <summary>{tr("affairs.declare")}</summary>
                <p class="muted">{tr("affairs.declare_hint")}</p>
                <form method="post" action="/party/declarations" enctype="multipart/form-data"
                    class="stack narrow" data-testid="declare-form">
                    <label>
                        {tr("affairs.declare_note")}
                        <textarea name="note" rows="2" maxlength=MAX_DECLARATION_NOTE required data-testid="declare-note"></textarea>
                    </label>
                    <label>
                        {tr("fields.photo")}
                        <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" multiple required data-testid="declare-photo"/>
                    </label>
                    <button type="submit" class="primary" data-testid="declare-submit">{tr("affairs.declare_submit")}</button>
                </form>
            </details>
        }
    });
    let declarations = x
        .declarations
        .iter()
        .map(|d| view! { <Declaration d=d.clone() manage=manage a=a/> })
        .collect_view();
    view! {
        {overview}
        {switch}
        <h2 data-testid="affairs-branch">{x.branch.clone()}</h2>
        <section class="box" data-testid="term">
            <h3>{tr("affairs.term")}</h3>
            <p>
                <span class=term_light(&t.status) data-testid="term-status" data-status=t.status.clone()>
                    {tr(&format!("affairs.term_{}", t.status))}
                </span>
                " " {t.elected_on.clone().map(|e| format!("{} {e}", tr("affairs.elected")))}
                {ends}
            </p>
            {term_form}
        </section>
        <h3>{tr("affairs.dues")}</h3>
        <div class="table-wrap">
            <table class="kpi-table" data-testid="dues">
                <thead>
                    <tr>
                        <th scope="col">{tr("fields.name")}</th>
                        <th scope="col">{tr("affairs.rate")}</th>
                        <th scope="col">{tr("affairs.paid_to")}</th>
                        <th scope="col">{tr("affairs.arrears")}</th>
                        {manage.then(|| view! { <th scope="col"></th> })}
                    </tr>
                </thead>
                <tbody>{dues}</tbody>
            </table>
        </div>
        {transfers}
        <h3>{tr("affairs.declarations")}</h3>
        {declare}
        <ul class="plain" data-testid="declarations">{declarations}</ul>
    }
}

#[component]
fn Overview(rows: Vec<AffairsRow>) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|r| {
            view! {
                <tr data-testid="affairs-row">
                    <td><a href=format!("/party/affairs?branch_id={}", r.branch_id)>{r.branch.clone()}</a></td>
                    <td><span class=term_light(&r.term_status)>{tr(&format!("affairs.term_{}", r.term_status))}</span></td>
                    <td>{r.members}</td>
                    <td>{r.in_arrears}</td>
                    <td>{r.transfers_waiting}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>{tr("affairs.overview")}</h2>
        <div class="table-wrap">
            <table class="kpi-table" data-testid="affairs-overview">
                <thead>
                    <tr>
                        <th scope="col">{tr("affairs.branch")}</th>
                        <th scope="col">{tr("affairs.term")}</th>
                        <th scope="col">{tr("affairs.members")}</th>
                        <th scope="col">{tr("affairs.in_arrears")}</th>
                        <th scope="col">{tr("affairs.transfers_waiting")}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

#[component]
fn DuesRow(d: DuesLine, manage: bool, a: Actions) -> impl IntoView {
    let owed = d.arrears;
    let light = if owed == 0 {
        "light light-green"
    } else {
        "light light-red"
    };
    let paid = d.paid_to.clone().unwrap_or_else(|| "—".into());
    let forms = manage.then(move || {
        let pay = d.rate_fen.map(|_| {
            view! {
                <ActionForm action=a.pay attr:class="inline" attr:data-testid="pay-form">
                    <input type="hidden" name="member_id" value=d.member_id.to_string()/>
                    <input type="hidden" name="seen" value=d.paid_to.clone().unwrap_or_default()/>
                    <input type="number" name="months" min="1" max=MAX_MONTHS_PER_PAYMENT value=owed.clamp(1, MAX_MONTHS_PER_PAYMENT).to_string()
                        required class="short" aria-label=tr("affairs.months") data-testid="pay-months"/>
                    <button type="submit" data-testid="pay-submit">{tr("affairs.pay")}</button>
                </ActionForm>
            }
        });
        view! {
            <td>
                {pay}
                <ActionForm action=a.rate attr:class="inline" attr:data-testid="rate-form">
                    <input type="hidden" name="member_id" value=d.member_id.to_string()/>
                    <input type="text" name="rate" inputmode="decimal" required class="short"
                        value=d.rate_fen.map(yuan).unwrap_or_default() aria-label=tr("affairs.rate") data-testid="rate-input"/>
                    <button type="submit" data-testid="rate-submit">{tr("affairs.set_rate")}</button>
                </ActionForm>
            </td>
        }
    });
    view! {
        <tr data-testid="dues-line" data-arrears=owed>
            <td>{d.name.clone()}</td>
            <td>{d.rate_fen.map(yuan).unwrap_or_else(|| tr("affairs.rate_unset"))}</td>
            <td data-testid="paid-to">{paid}</td>
            <td><span class=light>{owed}</span></td>
            {forms}
        </tr>
    }
}

#[component]
fn Transfers(x: Affairs, a: Actions) -> impl IntoView {
    let here = x.branch_id;
    let manage = x.access == "manage";
    let lines = x
        .transfers
        .iter()
        .map(|t| view! { <Transfer t=t.clone() here=here manage=manage a=a/> })
        .collect_view();
    let form = (manage && !x.targets.is_empty()).then(|| {
        let members = x
            .dues
            .iter()
            .map(|m| view! { <option value=m.member_id.to_string()>{m.name.clone()}</option> })
            .collect_view();
        let targets = x
            .targets
            .iter()
            .map(|b| view! { <option value=b.id.to_string()>{b.name.clone()}</option> })
            .collect_view();
        view! {
            <details class="box">
                <summary>{tr("affairs.start_transfer")}</summary>
                <ActionForm action=a.start attr:class="stack narrow" attr:data-testid="transfer-form">
                    <label>{tr("fields.member")} <select name="member_id" data-testid="transfer-member">{members}</select></label>
                    <label>{tr("affairs.to_branch")} <select name="to_branch" data-testid="transfer-to">{targets}</select></label>
                    <label>{tr("fields.note")} <input type="text" name="note" maxlength="200"/></label>
                    <button type="submit" class="primary" data-testid="transfer-submit">{tr("affairs.start_transfer")}</button>
                </ActionForm>
            </details>
        }
    });
    view! {
        <h3>{tr("affairs.transfers")}</h3>
        {form}
        <ul class="plain" data-testid="transfers">{lines}</ul>
    }
}

#[component]
fn Transfer(t: TransferLine, here: i64, manage: bool, a: Actions) -> impl IntoView {
    let pending = t.state == "pending";
    let incoming = t.to_branch == here;
    let buttons = (manage && pending).then(|| {
        if incoming {
            view! {
                <ActionForm action=a.answer attr:class="inline" attr:data-testid="transfer-accept">
                    <input type="hidden" name="id" value=t.id.to_string()/>
                    <input type="hidden" name="action" value="accept"/>
                    <input type="hidden" name="reason" value=""/>
                    <button type="submit" class="primary">{tr("affairs.accept")}</button>
                </ActionForm>
                <ActionForm action=a.answer attr:class="inline" attr:data-testid="transfer-refuse">
                    <input type="hidden" name="id" value=t.id.to_string()/>
                    <input type="hidden" name="action" value="refuse"/>
                    <input type="text" name="reason" maxlength="200" required placeholder=tr("affairs.refuse_reason")/>
                    <button type="submit">{tr("affairs.refuse")}</button>
                </ActionForm>
            }
            .into_any()
        } else {
            view! {
                <ActionForm action=a.answer attr:class="inline" attr:data-testid="transfer-withdraw">
                    <input type="hidden" name="id" value=t.id.to_string()/>
                    <input type="hidden" name="action" value="withdraw"/>
                    <input type="hidden" name="reason" value=""/>
                    <button type="submit">{tr("affairs.withdraw")}</button>
                </ActionForm>
            }
            .into_any()
        }
    });
    let reason = (!t.reason.is_empty()).then(|| view! { " · " {t.reason.clone()} });
    view! {
        <li data-testid="transfer" data-state=t.state.clone()>
            <strong>{t.member.clone()}</strong> " " {t.from_name.clone()} " → " {t.to_name.clone()}
            " · " <span class="tag">{tr(&format!("affairs.transfer_{}", t.state))}</span>
            " · " <span class="muted">{when(t.created_at)} " " {t.note.clone()}</span>
            {reason}
            {buttons}
        </li>
    }
}

#[component]
fn Declaration(d: DeclarationLine, manage: bool, a: Actions) -> impl IntoView {
    let photos = d
        .photos
        .iter()
        .map(|p| {
            view! {
                <a href=format!("/party/declaration-photos/{p}?size=medium") rel="external" target="_blank">
                    <img src=format!("/party/declaration-photos/{p}?size=thumb") alt=tr("fields.photo") width="120" loading="lazy" data-testid="declaration-photo"/>
                </a>
            }
        })
        .collect_view();
    let decide = (manage && d.status == "pending").then(|| {
        view! {
            <ActionForm action=a.decide attr:class="inline" attr:data-testid="declaration-approve">
                <input type="hidden" name="id" value=d.id.to_string()/>
                <input type="hidden" name="decision" value="approve"/>
                <button type="submit" class="primary">{tr("affairs.approve")}</button>
            </ActionForm>
            <ActionForm action=a.decide attr:class="inline" attr:data-testid="declaration-reject">
                <input type="hidden" name="id" value=d.id.to_string()/>
                <input type="hidden" name="decision" value="reject"/>
                <button type="submit">{tr("affairs.reject")}</button>
            </ActionForm>
        }
    });
    let ledger = d.entry_id.filter(|_| d.status == "approved").map(|_| {
        view! { " · " <a href=format!("/scores/ledger?subject=member&id={}", d.member_id)>{tr("affairs.ledger")}</a> }
    });
    view! {
        <li data-testid="declaration" data-status=d.status.clone()>
            <strong>{d.member.clone()}</strong> " · " {d.note.clone()}
            <br/>
            <span class="muted">{when(d.at)}</span> " · "
            <span class="tag">{tr(&format!("affairs.status_{}", d.status))}</span>
            {(d.status == "approved").then(|| format!(" +{}", d.amount))}
            {ledger}
            <div class="photos">{photos}</div>
            {decide}
        </li>
    }
}
