'use client'
import type { DayFigure, OrdersFigure } from '@lib/data/dashboard'
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'

export function RunsChart({ days }: { days: DayFigure[] }) {
  return (
    <div className="chart" data-chart="runs">
      <h2>Agent runs and spend, last 30 days</h2>
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={days}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} />
          <YAxis yAxisId="runs" allowDecimals={false} />
          <YAxis yAxisId="usd" orientation="right" tickFormatter={(v: number) => `$${v.toFixed(2)}`} />
          <Tooltip />
          <Legend />
          <Bar yAxisId="runs" dataKey="runs" name="Runs" fill="#1d4ed8" isAnimationActive={false} />
          <Bar yAxisId="runs" dataKey="failed" name="Failed" fill="#b91c1c" isAnimationActive={false} />
          <Line yAxisId="usd" dataKey="spendUsd" name="Spend (USD)" stroke="#f59e0b" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  )
}

export function OrdersChart({ orders }: { orders: OrdersFigure }) {
  return (
    <div className="chart" data-chart="orders">
      <h2>Orders and revenue, last 30 days</h2>
      {!orders.available ? (
        <p className="note" data-orders-note>
          {orders.note}
        </p>
      ) : (
        <ResponsiveContainer width="100%" height={240}>
          <LineChart data={orders.days}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} />
            <YAxis yAxisId="orders" allowDecimals={false} />
            <YAxis yAxisId="revenue" orientation="right" />
            <Tooltip />
            <Legend />
            <Line yAxisId="orders" dataKey="orders" name="Orders" stroke="#1d4ed8" isAnimationActive={false} />
            <Line
              yAxisId="revenue"
              dataKey="revenue"
              name={`Revenue${orders.currency ? ` (${orders.currency})` : ''}`}
              stroke="#047857"
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      )}
    </div>
  )
}
