"""Scrapy spiders, one per crawl strategy; site specifics come from crawler/profiles."""
