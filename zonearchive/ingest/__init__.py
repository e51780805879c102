"""Ingest: raw page bytes -> decoded lines -> articles with clean fields."""
