/*
 * Names for the widgets Django's admin builds in the browser (issue 18).
 *
 * - The autocomplete (select2, autocomplete_fields) hides the <select> and shows a
 *   combobox named after the chosen item only: nothing when none is chosen, and never
 *   the field. It is named by the field's own <label> (then the chosen item), and so are
 *   its search boxes.
 * - filter_horizontal puts an aria-label on a plain <span> (its search icon), where ARIA
 *   does not allow one: the icon becomes an image with that name, shown on hover too.
 *
 * The page loads this file with "defer": it runs after Django's scripts, so its handlers
 * (document ready, window load, a row added to an inline) run after theirs have built the
 * widgets.
 */
'use strict';
{
    const labelId = function(select) {
        if (!select.id) {
            return null;
        }
        const label = document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
        if (label === null) {
            return null;
        }
        if (!label.id) {
            label.id = select.id + '_label';
        }
        return label.id;
    };

    const nameAutocomplete = function(select) {
        const container = select.nextElementSibling;
        if (select.dataset.b40Named || container === null || !container.classList.contains('select2')) {
            return;
        }
        select.dataset.b40Named = 'true';
        const label = labelId(select);
        const combobox = container.querySelector('.select2-selection');
        const chosen = container.querySelector('.select2-selection__rendered[role="textbox"]');
        const search = container.querySelector('.select2-search__field');
        if (label === null) {
            // No <label>: the field's aria-label, if it has one (a change list's column).
            const name = select.getAttribute('aria-label');
            for (const element of [combobox, chosen, search]) {
                if (name && element) {
                    element.setAttribute('aria-label', name);
                }
            }
            return;
        }
        if (combobox) {
            const own = combobox.getAttribute('aria-labelledby');
            combobox.setAttribute('aria-labelledby', own ? label + ' ' + own : label);
        }
        for (const element of [chosen, search]) {
            if (element) {
                element.setAttribute('aria-labelledby', label);
            }
        }
    };

    const nameAutocompletes = function(root) {
        root.querySelectorAll('select.admin-autocomplete').forEach(nameAutocomplete);
    };

    const nameFilterIcons = function(root) {
        root.querySelectorAll('.selector .search-label-icon[aria-label]').forEach(function(icon) {
            icon.setAttribute('role', 'img');
            icon.title = icon.getAttribute('aria-label');
        });
    };

    if (window.django && django.jQuery) {
        const $ = django.jQuery;
        $(function() {
            nameAutocompletes(document);
        });
        // The search box of a single choice's dropdown exists only while it is open.
        $(document).on('select2:open', 'select.admin-autocomplete', function(event) {
            const label = labelId(event.target);
            const search = document.querySelector(
                '.select2-container--open .select2-search--dropdown .select2-search__field'
            );
            if (label !== null && search !== null) {
                search.setAttribute('aria-labelledby', label);
            }
        });
    }
    window.addEventListener('load', function() {
        nameFilterIcons(document);
    });
    document.addEventListener('formset:added', function(event) {
        nameAutocompletes(event.target);
        nameFilterIcons(event.target);
    });
}
