"""The Streamlit explorer of chosaku-kg (presentation only: every legal answer comes from
`chosaku.evaluate()` and every legal label from the ontology). Start it with `chosaku ui`."""
