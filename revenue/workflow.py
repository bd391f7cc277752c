"""The revenue project's workflow, declared once: its stages, each step (where it leaves from and
leads to, who may take it, what it requires, the service that takes it) and how a refused step
is worded. A project walks its stages one at a time; "abandoned" can be reached from any of them.

The services' guards, the pages' buttons and the API's actions read `REVENUE_PROJECT` (see
partnership/workflow.py). The business acceptance is recorded while a project is in Acceptance
(`revenue_project_accept`); it changes no stage, and it is what moving to Execute requires.
"""

from partnership.workflow import Transition, Workflow

from .choices import STAGE_ORDER, Stage
from .permissions import MANAGE_MESSAGE, can_manage


def _it(user, project) -> bool:
    return can_manage(user)


def _refused(project, transition) -> dict:
    if transition.name == "abandon":
        return {"stage": "The project is already abandoned."}
    if project.stage == Stage.ABANDONED:
        return {"stage": "An abandoned project moves no further."}
    return {"stage": "Support is the last stage; abandon the project to stop it."}


REVENUE_PROJECT = Workflow(
    name="revenue project",
    states=tuple(Stage.values),
    object_arg="project",
    state=lambda project: project.stage,
    refused=_refused,
    transitions=(
        Transition(
            name="advance",
            label="Move to the next stage",
            moves=dict(zip(STAGE_ORDER[:-1], STAGE_ORDER[1:], strict=True)),
            may=_it,
            denied=MANAGE_MESSAGE,
            service="revenue.services.revenue_project_advance",
            inputs=("to_stage", "on", "note"),
            requires="the business acceptance before Execute; no stage skipped",
            help="Move the project to its next stage (execute needs the business acceptance first).",
        ),
        Transition(
            name="abandon",
            label="Abandon",
            moves=dict.fromkeys(STAGE_ORDER, Stage.ABANDONED),
            may=_it,
            denied=MANAGE_MESSAGE,
            service="revenue.services.revenue_project_abandon",
            inputs=("reason", "on"),
            requires="a reason",
            help="Abandon the project, from any stage, with a reason.",
        ),
    ),
)
