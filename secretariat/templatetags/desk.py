"""``{% desk_items as items %}``: what needs the secretariat's action today (admin index)."""

from django import template

from secretariat.selectors.workspace import DeskItem, desk_items

register = template.Library()


@register.simple_tag(name="desk_items")
def desk_items_tag() -> list[DeskItem]:
    return desk_items()
