//! A grid's ledger (网格一本账) as a card: on the org page and in the command map's panel.

use leptos::prelude::*;

use crate::features::org::types::GridLedger;
use crate::i18n::tr;

#[component]
pub fn LedgerCard(ledger: GridLedger) -> impl IntoView {
    let staff = ledger
        .staff
        .into_iter()
        .map(|s| {
            let duty = tr(&format!("duties.{}", s.duty));
            view! {
                <li>
                    <span class="badge">{duty}</span>
                    " "
                    {s.name}
                    " "
                    <span class="muted">{s.phone}</span>
                </li>
            }
        })
        .collect_view();
    let buildings = ledger
        .buildings
        .into_iter()
        .map(|b| {
            view! {
                <tr>
                    <td>{b.name}</td>
                    <td>{b.party_group.unwrap_or_default()}</td>
                    <td>{b.group_leader.unwrap_or_default()}</td>
                    <td class="num">{b.households}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="ledger" data-testid="grid-ledger">
            <h3>{tr("ledger.title")}</h3>
            <dl class="stats">
                <div>
                    <dt>{tr("ledger.branch")}</dt>
                    <dd>{ledger.branch_name.unwrap_or_default()}</dd>
                </div>
                <div>
                    <dt>{tr("ledger.secretary")}</dt>
                    <dd>{ledger.branch_secretary.unwrap_or_default()}</dd>
                </div>
                <div>
                    <dt>{tr("ledger.households")}</dt>
                    <dd data-testid="ledger-households">{ledger.households}</dd>
                </div>
                <div>
                    <dt>{tr("ledger.residents")}</dt>
                    <dd>{ledger.residents}</dd>
                </div>
                <div>
                    <dt>{tr("ledger.party_members")}</dt>
                    <dd>{ledger.party_members}</dd>
                </div>
                <div>
                    <dt>{tr("ledger.without_post")}</dt>
                    <dd>{ledger.members_without_post}</dd>
                </div>
                <div>
                    <dt>{tr("ledger.migrant")}</dt>
                    <dd>{ledger.migrant_members}</dd>
                </div>
            </dl>
            <h4>{tr("ledger.staff")}</h4>
            <ul class="staff">{staff}</ul>
            <h4>{tr("ledger.buildings")}</h4>
            <table class="buildings">
                <thead>
                    <tr>
                        <th>{tr("ledger.building")}</th>
                        <th>{tr("ledger.party_group")}</th>
                        <th>{tr("ledger.group_leader")}</th>
                        <th>{tr("ledger.households")}</th>
                    </tr>
                </thead>
                <tbody>{buildings}</tbody>
            </table>
        </section>
    }
}
