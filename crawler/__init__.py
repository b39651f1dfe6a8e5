"""Scrapy project: spiders, settings, site profiles and the article parser."""
