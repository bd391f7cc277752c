"""The score API: the score with pillars and indicators, its history, weights and targets."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import BusinessUnit
from ..roles import is_business_manager, is_it_staff
from . import selectors, services
from .models import ScoreConfig, ScoreSnapshot
from .registry import Window
from .views import WINDOWS


class IndicatorRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    pillar = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField()
    target = serializers.FloatField()
    value = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    contribution = serializers.FloatField(allow_null=True)
    records = serializers.IntegerField()
    url = serializers.CharField()


class ScopeScoreSerializer(serializers.Serializer):
    business_unit = serializers.CharField(source="business_unit.slug", read_only=True, allow_null=True)
    overall = serializers.FloatField(allow_null=True)
    band = serializers.CharField()
    pillars = serializers.DictField(child=serializers.FloatField(allow_null=True))
    indicators = IndicatorRowSerializer(many=True)


class ScoreSerializer(serializers.Serializer):
    window_start = serializers.DateField()
    window_end = serializers.DateField()
    config_version = serializers.IntegerField(allow_null=True)
    score = ScopeScoreSerializer()
    business_units = ScopeScoreSerializer(many=True)


class SnapshotSerializer(serializers.ModelSerializer):
    business_unit = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    config_version = serializers.IntegerField(source="config.version", allow_null=True, read_only=True)

    class Meta:
        model = ScoreSnapshot
        fields = ["date", "business_unit", "window_days", "overall", "band", "pillars", "indicators", "config_version"]


class ScoreConfigSerializer(serializers.ModelSerializer):
    created_by = serializers.StringRelatedField(allow_null=True)
    created_at = serializers.DateTimeField(read_only=True, allow_null=True)  # null: the defaults, never saved

    class Meta:
        model = ScoreConfig
        fields = ["version", "weights", "targets", "note", "created_by", "created_at"]
        read_only_fields = ["version", "created_by", "created_at"]


window_param = OpenApiParameter("window", int, enum=list(WINDOWS), description="Days in the window (default 90).")
unit_param = OpenApiParameter("business_unit", str, description="Slug of one business unit (default: the whole company).")


def _scope(request):
    user = request.user
    if not (is_it_staff(user) or is_business_manager(user)):
        raise PermissionDenied("The score is for IT and business managers.")
    raw = request.query_params.get("window", "90")
    if raw not in {str(w) for w in WINDOWS}:
        raise ValidationError({"window": f"Choose one of {', '.join(str(w) for w in WINDOWS)}."})
    slug = request.query_params.get("business_unit", "")
    if not is_it_staff(user):
        if slug and (user.business_unit is None or slug != user.business_unit.slug):
            raise PermissionDenied("Business managers see their own unit's score.")
        unit = user.business_unit
    elif slug:
        unit = BusinessUnit.objects.filter(slug=slug).first()
        if unit is None:
            raise ValidationError({"business_unit": f"No business unit “{slug}”."})
    else:
        unit = None
    return int(raw), unit


class ScoreView(APIView):
    """The partnership score overall (or of one unit), with pillars, indicators and every unit."""

    @extend_schema(parameters=[window_param, unit_param], responses=ScoreSerializer)
    def get(self, request):
        days, unit = _scope(request)
        window = Window.last_days(days, timezone.localdate())
        result = selectors.partnership_score(window, unit, with_units=is_it_staff(request.user))
        return Response(score_data(window, result))


def _scope_data(scope) -> dict:
    """What ScopeScoreSerializer gives for `scope`, built directly: the comparison of every
    unit has some 800 indicator rows, which nested serializers take ten times longer to walk.
    The engine's numbers are floats already (tests.score.test_rollup checks both give the same)."""
    return {
        "business_unit": scope.business_unit.slug if scope.business_unit is not None else None,
        "overall": scope.overall,
        "band": scope.band,
        "pillars": scope.pillars,
        "indicators": [
            {
                "key": row.key,
                "pillar": row.pillar,
                "label": row.label,
                "unit": row.unit,
                "direction": row.direction,
                "target": row.target,
                "value": row.value,
                "score": row.score,
                "contribution": row.contribution,
                "records": row.records,
                "url": row.url,
            }
            for row in scope.indicators
        ],
    }


def score_data(window: Window, result: dict) -> dict:
    """The body of GET /api/v1/score/ (documented by ScoreSerializer) from `partnership_score`."""
    return {
        "window_start": window.start.isoformat(),
        "window_end": window.end.isoformat(),
        "config_version": result["config"].version if result["config"] else None,
        "score": _scope_data(result["main"]),
        "business_units": [_scope_data(scope) for scope in result["units"]],
    }


class ScoreHistoryView(APIView):
    """Daily snapshots of the score (90-day window), oldest first."""

    @extend_schema(parameters=[unit_param], responses=SnapshotSerializer(many=True))
    def get(self, request):
        _, unit = _scope(request)
        snapshots = selectors.score_history(unit).select_related("config", "business_unit")[:400]
        return Response(SnapshotSerializer(snapshots, many=True).data)


class ScoreConfigView(APIView):
    """The current weights and targets (IT staff read; the CIO writes a new version)."""

    @extend_schema(responses=ScoreConfigSerializer)
    def get(self, request):
        if not is_it_staff(request.user):
            raise PermissionDenied("The score's settings are for IT staff and the CIO.")
        config = selectors.current_config()
        if config is None:
            return Response({"version": 0, "weights": {}, "targets": {}, "note": "defaults", "created_by": None,
                             "created_at": None})
        return Response(ScoreConfigSerializer(config).data)

    @extend_schema(request=ScoreConfigSerializer, responses={201: ScoreConfigSerializer})
    def post(self, request):
        serializer = ScoreConfigSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        for field in ("weights", "targets"):
            value = data.get(field, {})
            if not isinstance(value, dict) or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value.values()):
                raise ValidationError({field: "An object of names to numbers."})
        config = services.score_config_create(
            actor=request.user, weights=data.get("weights", {}), targets=data.get("targets", {}), note=data.get("note", "")
        )
        return Response(ScoreConfigSerializer(config).data, status=status.HTTP_201_CREATED)
