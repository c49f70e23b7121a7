"""The leaders' dashboard of vetservice (Streamlit)."""
