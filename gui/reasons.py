"""Why a review step is refused, in the current language, from the store's workflow table.

The workflow table (`jurist.db.workflow`) says whether a step may be taken
and which rule refused it; this says it to a person, next to the button, so
nobody has to hover to learn why a button is off.
"""
from __future__ import annotations

from jurist.db.records import UserInfo, VersionInfo
from jurist.db.workflow import TRANSITIONS, Refusal, Verdict

from . import words
from .i18n import translate


def refusal(action: str, verdict: Verdict, version: VersionInfo | None, me: UserInfo | None) -> str:
    """"" when the step is allowed, else one sentence on why not."""
    if verdict.allowed:
        return ""
    transition = TRANSITIONS[action]
    step = words.step(action)
    label = f"v{version.number}" if version is not None else ""
    if verdict.refusal is Refusal.NO_VERSION or version is None:
        return translate("Reasons", "select a version first")
    if verdict.refusal is Refusal.UNREGISTERED or me is None:
        return translate("Reasons", "you are not a registered user of this store")
    if verdict.refusal is Refusal.ROLE:
        return translate("Reasons", "“{step}” needs the {needed} role; your role is {role}").format(
            step=step, needed=words.role(transition.role), role=words.role(me.role))
    if verdict.refusal is Refusal.STATE:
        wanted = translate("Reasons", " or ").join(words.state(s) for s in transition.from_states)
        return translate("Reasons", "{version} is {state}; “{step}” needs {wanted}").format(
            version=label, state=words.state(version.state), step=step, wanted=wanted)
    if verdict.refusal is Refusal.TWO_PERSON:
        if me.name in version.authors:
            return translate("Reasons", "you wrote {version}; the two-person rule needs another approver").format(
                version=label)
        return translate("Reasons", "the admin acting as you wrote {version}; the two-person rule needs another "
                                    "approver").format(version=label)
    return verdict.reason
