"""One API action per workflow step, generated from the app's declaration.

A viewset names its `workflow` (a `partnership.workflow.Workflow`), the request serializer of
each step (`transition_serializers`, by step name; `transition_serializer` for the others), what
it answers for the schema (`transition_responses`, `transition_response_serializer`) and how a
step answers (`transition_response`). For every step people take, the mixin adds a
`POST <resource>/{id}/<step name>/` action that:

1. looks the object up through `for_user()` (404 for what the caller may not see);
2. refuses with 403 and the step's declared message when its `may` predicate says no;
3. validates the body with the step's serializer (400 with the field);
4. takes the step through `workflow.run()`, the service every other path calls (its refusals
   answer 400 with the field, as everywhere in the API).

A viewset that writes a method of the step's name keeps it (the mixin never overwrites one).
"""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied


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
            response = cls.transition_responses.get(transition.name, cls.transition_response_serializer)
            setattr(cls, transition.attr, _transition_action(transition, request_serializer, response))

    def transition_input(self, transition, serializer_class, request) -> dict:
        """The step's keyword arguments from the request body."""
        if serializer_class is None:
            return {}
        serializer = serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def transition_response(self, obj, result, transition):
        raise NotImplementedError("A viewset with a workflow says how a step answers.")
