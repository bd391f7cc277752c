"""Forms of the score: the CIO's weights and targets, and the business pulse."""

from django import forms

from .registry import Pillar, registered_indicators

SCALE_CHOICES = [(i, str(i)) for i in range(1, 6)]


class ScoreConfigForm(forms.Form):
    """One weight per pillar and one target per registered indicator."""

    note = forms.CharField(max_length=200, required=False, help_text="Why the change, for the version history.")

    def __init__(self, *args, config=None, **kwargs):
        super().__init__(*args, **kwargs)
        weights = (config.weights if config else {}) or {}
        targets = (config.targets if config else {}) or {}
        for pillar in Pillar.ALL:
            self.fields[f"weight_{pillar}"] = forms.FloatField(
                label=f"Weight of “{Pillar.LABELS[pillar]}”", min_value=0, max_value=100,
                initial=weights.get(pillar, 1),
            )
        for indicator in registered_indicators():
            self.fields[f"target_{indicator.key}"] = forms.FloatField(
                label=f"Target: {indicator.label} ({indicator.unit})", min_value=0.0001,
                initial=targets.get(indicator.key, indicator.target),
                help_text="Lower is better." if indicator.direction == "lower" else "",
            )

    def weights(self) -> dict:
        return {p: self.cleaned_data[f"weight_{p}"] for p in Pillar.ALL}

    def targets(self) -> dict:
        return {i.key: self.cleaned_data[f"target_{i.key}"] for i in registered_indicators()}


class PulseForm(forms.Form):
    understands = forms.TypedChoiceField(label="IT understands our problems", choices=SCALE_CHOICES, coerce=int,
                                         widget=forms.RadioSelect)
    delivers = forms.TypedChoiceField(label="IT delivers what it promises", choices=SCALE_CHOICES, coerce=int,
                                      widget=forms.RadioSelect)
    partner = forms.TypedChoiceField(label="IT is a partner, not a supplier", choices=SCALE_CHOICES, coerce=int,
                                     widget=forms.RadioSelect)
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
