"""Colours and marks for the contract's codes (conclusions, exemption and requirement statuses),
shared by the results, the what-if panel and the graph view."""

# st.badge colours
BADGE = {
    "lawful": "green", "infringing": "red", "conditional": "orange", "not_at_issue": "gray",
    "applies": "green", "not_applicable": "red",
    "met": "green", "unmet": "red", "unknown": "orange",
    "scenario": "blue", "work": "violet", "fault": "gray", "liability": "gray",
}

# graph node colours (hex), same meaning as BADGE
HEX = {
    "lawful": "#2e7d32", "infringing": "#c62828", "conditional": "#ef6c00", "not_at_issue": "#757575",
    "applies": "#66bb6a", "not_applicable": "#e57373",
    "met": "#a5d6a7", "unmet": "#ef9a9a", "unknown": "#ffcc80",
    "scenario": "#1565c0", "work": "#8e24aa", "fault": "#9e9e9e", "liability": "#616161", "other": "#90a4ae",
}

MARK = {"met": "✓", "unmet": "✗", "unknown": "?"}
