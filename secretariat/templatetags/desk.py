"""``{% desk_items as items %}``: what needs the secretariat's action today (admin index).

Only the secretariat sees it (``members.roles.is_secretariat``): for any other account that
reaches the admin the tag gives ``None`` and the index shows no desk at all.
"""

from django import template

from members.roles import is_secretariat
from secretariat.selectors.workspace import DeskItem, desk_items

register = template.Library()


@register.simple_tag(name="desk_items", takes_context=True)
def desk_items_tag(context) -> list[DeskItem] | None:
    request = context.get("request")
    if request is None or not is_secretariat(request.user):
        return None
    return desk_items()
