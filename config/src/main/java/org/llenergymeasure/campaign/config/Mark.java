package org.llenergymeasure.campaign.config;

/** A position in the campaign file; line and column count from 1. */
record Mark(int line, int column) {

  static final Mark START = new Mark(1, 1);
}
