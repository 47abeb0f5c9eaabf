"""The course for Bydelsmødre: "Listening that helps her help herself" (content in lessons/*.toml)."""
