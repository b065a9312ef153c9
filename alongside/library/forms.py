from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.library.models import Article

CATEGORY_LIST_ID = "library-categories"


class LinesField(forms.CharField):
    """A textarea of one item per line, kept as a list; blank lines are dropped."""

    widget = forms.Textarea

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            return value
        text = super().to_python(value) or ""
        return [line.strip().lstrip("-*• ").strip() for line in text.splitlines() if line.strip()]


class ArticleForm(forms.ModelForm):
    short_version = LinesField(
        label=_("The short version"),
        help_text=_("3 to 5 points, one per line. Short, plain sentences."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    note = forms.CharField(
        label=_("Note about this change"),
        required=False,
        max_length=300,
        help_text=_("For the edit history, e.g. “Checked the 988 facts; updated one link.”"),
    )

    class Meta:
        model = Article
        fields = [
            "title",
            "category",
            "description",
            "short_version",
            "body_markdown",
            "reviewed_on",
            "reviewer",
            "directory_link",
            "directory_link_text",
        ]
        labels = {"body_markdown": _("Body (Markdown)")}
        help_texts = {
            "body_markdown": _(
                "Start sections with ## Heading. Cite a reference by its number, like [2]. "
                "HTML is shown as plain text."
            ),
            "reviewed_on": _("The day someone last checked this article was correct."),
            "directory_link": _("A directory search, starting with /find/."),
            "category": _("Pick one of the existing categories or type a new one."),
        }
        widgets = {
            "category": forms.TextInput(attrs={"list": CATEGORY_LIST_ID}),
            "description": forms.Textarea(attrs={"rows": 2}),
            "body_markdown": forms.Textarea(attrs={"rows": 24, "class": "markdown-input"}),
            "reviewed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def article_fields(self) -> dict[str, Any]:
        """The cleaned values, as services.article_save takes them."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
