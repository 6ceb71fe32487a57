"""Whether the browser window is wide enough to show the questionnaire and the result side by side.

Streamlit tells the server nothing about the window, so a small component (no markup, a few lines of
script in the page) reports `window.innerWidth >= WIDE_PX` and reports again when a resize crosses that
line. Before the first report, and where no browser runs the script (AppTest), the window counts as narrow."""

from __future__ import annotations

import streamlit as st

WIDE_PX = 1400
COOKIE = "chosaku_wide"

_JS = """
export default function(component) {
    const { setStateValue, data } = component;
    let last = null;
    const report = () => {
        const wide = window.innerWidth >= data.wide_px;
        if (wide !== last) {
            last = wide;
            document.cookie = data.cookie + '=' + (wide ? '1' : '0') + '; path=/; max-age=31536000; SameSite=Lax';
            setStateValue('wide', wide);
        }
    };
    report();
    window.addEventListener('resize', report);
    return () => window.removeEventListener('resize', report);
}
"""

_CSS = "<style>.st-key-viewport {display: none;}</style>"

_component = st.components.v2.component("chosaku_viewport", js=_JS)


def is_wide() -> bool:
    """True when the window is at least WIDE_PX wide (as last reported by the browser)."""
    st.markdown(_CSS, unsafe_allow_html=True)
    remembered = _cookie() == "1"
    result = _component(key="viewport", data={"wide_px": WIDE_PX, "cookie": COOKIE}, default={"wide": remembered},
                        on_wide_change=lambda: None)
    return bool(getattr(result, "wide", remembered))


def _cookie() -> str | None:
    value = st.context.cookies.get(COOKIE)
    return value if isinstance(value, str) else None   # AppTest's context holds no real cookies
