"""One API action per workflow step, generated from the app's declaration.

A viewset names its `workflow` (a `partnership.workflow.Workflow`), the request serializer of
each step (`transition_serializers`, by step name; `transition_serializer` for the others), what
it answers for the schema (`transition_responses`, `transition_response_serializer`) and how a
step answers (`transition_response`). For every step people take, the mixin adds a
`POST <resource>/{id}/<step name>/` action that:

1. looks the object up through `for_user()` (404 for what the caller may not see);
2. refuses with 403 and the step's declared message when its `may` predicate says no;
3. validates the body with the step's serializer (400 with the field); an input the step's
   `required` names is required and non-blank in that serializer (and so in the schema), refused
   with the workflow's own message;
4. takes the step through `workflow.run()`, the service every other path calls (its refusals
   answer 400 with the field, as everywhere in the API).

A viewset that writes a method of the step's name keeps it (the mixin never overwrites one).
"""

from functools import cache

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.fields import empty


def _transition_action(transition, request_serializer, response_serializer):
    def take(self, request, pk=None):
        obj = self.get_object()
        if not transition.may(request.user, obj):
            raise PermissionDenied(transition.denied)
        data = self.transition_input(transition, request_serializer, request)
        result = self.workflow.run(obj, request.user, transition.name, **data)
        return self.transition_response(obj, result, transition)

    take.__name__ = transition.attr
    take.__qualname__ = transition.attr
    take.__doc__ = transition.help or f"{transition.label} ({_moves(transition)})."
    schema = extend_schema(request=request_serializer, responses=response_serializer)
    return schema(action(detail=True, methods=["post"], url_path=transition.name)(take))


@cache
def _requiring(serializer_class, names: tuple[str, ...]):
    """`serializer_class` with the inputs `names` required and non-blank. The messages are the
    step's (`context["transition"].required`), so one class serves every step that shares it."""

    def get_fields(self):
        fields = super(requiring, self).get_fields()
        messages = getattr(self.context.get("transition"), "required", {})
        for name in names:
            field = fields[name]
            field.required, field.default, field.allow_blank = True, empty, False
            if name in messages:
                field.error_messages.update(required=messages[name], blank=messages[name])
        return fields

    namespace = {"get_fields": get_fields, "__module__": serializer_class.__module__, "__doc__": serializer_class.__doc__}
    requiring = type(serializer_class.__name__, (serializer_class,), namespace)
    return requiring


def _moves(transition) -> str:
    sources = " or ".join(dict.fromkeys(transition.moves))
    targets = " or ".join(dict.fromkeys(transition.moves.values()))
    return f"{sources} -> {targets}"


class WorkflowActionsMixin:
    workflow = None
    transition_serializer = None  # the request body of a step with no serializer of its own
    transition_serializers: dict = {}
    transition_response_serializer = None  # what a step answers (for the schema)
    transition_responses: dict = {}  # ... by step name, where a step answers otherwise

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        workflow = cls.__dict__.get("workflow")
        if workflow is None:
            return
        for transition in workflow.manual():
            if transition.attr in cls.__dict__:
                continue
            request_serializer = cls.transition_serializers.get(transition.name, cls.transition_serializer)
            if request_serializer is not None and transition.required:
                request_serializer = _requiring(request_serializer, tuple(sorted(transition.required)))
            response = cls.transition_responses.get(transition.name, cls.transition_response_serializer)
            setattr(cls, transition.attr, _transition_action(transition, request_serializer, response))

    def transition_input(self, transition, serializer_class, request) -> dict:
        """The step's keyword arguments from the request body."""
        if serializer_class is None:
            return {}
        context = {**self.get_serializer_context(), "transition": transition}
        serializer = serializer_class(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def transition_response(self, obj, result, transition):
        raise NotImplementedError("A viewset with a workflow says how a step answers.")
