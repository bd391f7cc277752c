"""The one declaration type of every state machine in the portal.

Each app declares its workflows once, in its own `workflow.py`, as a `Workflow` of
`Transition`s: from which statuses each step leaves and where it leads, who may take it (a
predicate of the app's `permissions.py`), what it requires, and the service that takes it. Every
path reads that declaration:

- the services guard a step with `check()` (or its two halves, `require()` and
  `check_status()`, where a service words another refusal in between);
- the pages show a button for each step of `available(obj, user)` and take it with `run()`;
- the API generates one action per step (`partnership.api.workflow.WorkflowActionsMixin`);
- the integrations walk a ticket along `path()`, through the same services.

A refusal is the services' usual one: `PermissionDenied(message)` for the role,
`ValidationError({field: message})` for the status or a missing input.
"""

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.module_loading import import_string


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class Transition:
    """One step of a workflow."""

    name: str  # the verb, and the URL part of its page and API action ("start-analysis")
    label: str  # the button
    moves: Mapping[str, str]  # from status -> to status
    may: Callable  # may(user, obj) -> bool, from the app's permissions.py
    denied: str  # the PermissionDenied message when `may` says no
    service: str  # the dotted path of the service that takes the step
    inputs: tuple[str, ...] = ("note",)  # the service's keyword arguments a form or request body gives
    required: Mapping[str, str] = field(default_factory=dict)  # inputs that must not be blank -> the refusal
    requires: str = ""  # what else it requires, in words (checked by the service)
    help: str = ""  # one line for the API schema
    manual: bool = True  # False for a step only other services take: no button, no API action

    @property
    def attr(self) -> str:
        """The Python name of the step (its API action's method name)."""
        return self.name.replace("-", "_")

    def target(self, status: str) -> str | None:
        return self.moves.get(status)


@dataclass(frozen=True)
class Workflow:
    """A state machine: its statuses, its steps, and how a refused step is worded."""

    name: str  # "pain point"
    states: tuple[str, ...]
    transitions: tuple[Transition, ...]
    object_arg: str  # the services' keyword for the object ("pain_point")
    # refused(obj, transition) -> {field: message}, the ValidationError of a step the status forbids.
    refused: Callable
    state: Callable = field(default=lambda obj: obj.status)  # the status of an object

    def __post_init__(self):
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError(f"The {self.name} workflow names a step twice: {names}")
        for transition in self.transitions:
            unknown = (set(transition.moves) | set(transition.moves.values())) - set(self.states)
            if unknown:
                raise ValueError(f"{self.name} step {transition.name!r} names unknown statuses {sorted(unknown)}")

    def __getitem__(self, name: str) -> Transition:
        for transition in self.transitions:
            if transition.name == name:
                return transition
        raise KeyError(f"The {self.name} workflow has no step {name!r}.")

    def __contains__(self, name: str) -> bool:
        return any(t.name == name for t in self.transitions)

    # --- Reading the declaration ---------------------------------------------------------------

    def targets(self, status: str) -> set[str]:
        """Every status one step leads to from `status`."""
        return {t.moves[status] for t in self.transitions if status in t.moves}

    def is_final(self, obj) -> bool:
        """Whether no step people take leaves the object's status (its workflow has ended)."""
        status = self.state(obj)
        return not any(status in t.moves for t in self.manual())

    def possible(self, obj) -> list[Transition]:
        """The steps the object's status allows, whoever takes them."""
        status = self.state(obj)
        return [t for t in self.transitions if status in t.moves]

    def allowed(self, obj, user, name: str) -> bool:
        """Whether `user` may take the step `name` (their role; the status aside)."""
        return bool(self[name].may(user, obj))

    def available(self, obj, user) -> list[Transition]:
        """The steps `user` may take now: the buttons a page shows."""
        return [t for t in self.possible(obj) if t.manual and t.may(user, obj)]

    def manual(self) -> list[Transition]:
        """The steps people take (on a page, through the API)."""
        return [t for t in self.transitions if t.manual]

    def path(self, from_status: str, to_status: str, *, names) -> list[Transition]:
        """The shortest walk from one status to another through the steps `names` (empty when
        there is none, or when the two are the same)."""
        steps = [self[name] for name in names]
        previous = {from_status: None}
        queue = deque([from_status])
        while queue:
            status = queue.popleft()
            if status == to_status:
                break
            for step in steps:
                following = step.moves.get(status)
                if following is not None and following not in previous:
                    previous[following] = (status, step)
                    queue.append(following)
        if to_status == from_status or to_status not in previous:
            return []
        walk = []
        status = to_status
        while previous[status] is not None:
            status, step = previous[status]
            walk.append(step)
        return walk[::-1]

    # --- Guarding a step -----------------------------------------------------------------------

    def require(self, obj, user, name: str) -> Transition:
        """Refuse with PermissionDenied unless `user` may take the step."""
        transition = self[name]
        if not transition.may(user, obj):
            raise PermissionDenied(transition.denied)
        return transition

    def check_inputs(self, name: str, **inputs) -> None:
        """Refuse with ValidationError when a required input is blank."""
        for input_name, message in self[name].required.items():
            if _blank(inputs.get(input_name)):
                raise ValidationError({input_name: message})

    def check_status(self, obj, name: str) -> str:
        """Refuse with ValidationError unless the object's status allows the step; the status it
        leads to otherwise."""
        transition = self[name]
        target = transition.target(self.state(obj))
        if target is None:
            raise ValidationError(self.refused(obj, transition))
        return target

    def check(self, obj, user, name: str, *, lock: Callable | None = None, **inputs) -> str:
        """The whole guard of a step, in the order the services word it: the role, then (after
        `lock(obj)` reloads the row under a lock, when given) the required inputs and the status.
        Returns the status the step leads to."""
        self.require(obj, user, name)
        if lock is not None:
            lock(obj)
        self.check_inputs(name, **inputs)
        return self.check_status(obj, name)

    def run(self, obj, user, name: str, **inputs):
        """Take the step through its service (which guards it); what the service returns."""
        transition = self[name]
        service = import_string(transition.service)
        given = {key: inputs[key] for key in transition.inputs if key in inputs}
        return service(**{self.object_arg: obj}, actor=user, **given)

